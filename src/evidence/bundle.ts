// `keyceremony bundle <workdir>` and `keyceremony bundle verify <archive>`: one archive an
// auditor can take away — the definition, the profile copies, the inputs, the outputs, the
// journal, reports rendered from it (en and zh-TW, Markdown and HTML), bundle.json (what
// vouches for each file) and SHA256SUMS (`sha256sum -c` checks it without keyceremony).
//
// What goes in is decided by the journal, never by what lies in the workdir: only files a
// record of a verified journal names with their SHA-256, each checked against it. Shares
// (dry-run-shares/), state.json (a cache), old reports and anything the journal did not
// record stay out, and are listed as left out. `bundle verify` trusts nothing in the
// archive: it unpacks the evidence into a private temporary folder, runs the very checks
// `bundle` ran (the journal verifies, every file is the one its record names, nothing
// else is there), renders the reports again and compares them byte for byte.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ExitCode, KeyceremonyError } from '../errors.js';
import { JOURNAL_READ_LIMIT } from '../journal/journal.js';
import { SEALED_EVENT } from '../journal/record.js';
import { verifyJournal } from '../journal/verify.js';
import { LANGS, type Lang } from '../util/lang.js';
import type { DocumentFormat } from '../report/render.js';
import { readVerifiedWorkdir, type VerifiedWorkdir } from '../report/verified-workdir.js';
import { renderVerifiedReport } from '../report/workdir-report.js';
import { INPUT_FILE_LIMIT } from '../util/bounded-read.js';
import { sha256 } from '../util/fingerprint.js';
import { readWorkdirFile } from '../util/safe-path.js';
import { toolVersion } from '../util/tool-version.js';
import { readArchive, writeArchive } from './archive.js';
import { recordedFiles, type RecordedFile } from './recorded-files.js';
import { errorCode } from '../util/storage.js';

export const BUNDLE_FORMAT = 'keyceremony-evidence-bundle';
const JOURNAL_FILE = 'journal.jsonl';
const MANIFEST_FILE = 'bundle.json';
const SUMS_FILE = 'SHA256SUMS';
const REPORT_FORMATS: DocumentFormat[] = ['md', 'html'];
const reportPath = (lang: Lang, format: DocumentFormat) => `reports/report.${lang}.${format}`;
/** How the reports inside a bundle name the workdir: the bundle's own folder. */
const BUNDLE_WORKDIR_NAME = '<the bundle folder>';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: 1;
  ceremony: string;
  tool: string;
  journal: { records: number; first: string; last: string; sealed: boolean; head: { seq: number; hash: string } };
  evidence: Array<RecordedFile & { bytes: number }>;
  reports: string[];
}

export interface BundleSummary {
  archive: string;
  archiveSha256: string;
  folder: string;
  manifest: BundleManifest;
  /** Workdir entries that are not in the bundle, and why (bundle only). */
  leftOut: Array<{ path: string; why: string }>;
  /** Reports compared byte for byte with a fresh rendering (verify only). */
  reportsCompared: boolean;
}

function evidenceError(command: string, message: string, code: string): KeyceremonyError {
  return new KeyceremonyError(`${command}: ${message}`, {
    hint: 'the files do not match what the journal recorded; nothing was written; keep everything as it is as evidence and investigate',
    exitCode: ExitCode.failed,
    code,
  });
}

/** The evidence of a workdir (or an unpacked bundle): the verified journal and every file it vouches for, checked. */
function collectEvidence(
  dir: string,
  command: string,
  shownAs: (path: string) => string,
): { verified: VerifiedWorkdir; files: Map<string, Buffer>; manifest: BundleManifest } {
  const verified = readVerifiedWorkdir(dir, command);
  const journal = readWorkdirFile(dir, JOURNAL_FILE, JOURNAL_READ_LIMIT);
  const again = verifyJournal(journal, {});
  const last = verified.records.at(-1)!;
  // The journal read again must be the one just verified (it could change in between).
  if (!again.ok || again.records.at(-1)?.hash !== last.hash)
    throw evidenceError(command, `${shownAs(JOURNAL_FILE)} changed while it was being read`, 'bundle.changed');
  const files = new Map<string, Buffer>([[JOURNAL_FILE, journal]]);
  const evidence: BundleManifest['evidence'] = [];
  for (const recorded of recordedFiles(verified.records, shownAs(JOURNAL_FILE))) {
    const earlier = evidence.find((file) => file.path === recorded.path);
    if (earlier) {
      if (earlier.sha256 !== recorded.sha256)
        throw evidenceError(
          command,
          `the journal records ${recorded.path} twice with different SHA-256 (${earlier.vouchedBy}; ${recorded.vouchedBy})`,
          'bundle.contradiction',
        );
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readWorkdirFile(dir, recorded.path, INPUT_FILE_LIMIT);
    } catch (error) {
      if (errorCode(error) === 'ENOENT')
        throw evidenceError(command, `${shownAs(recorded.path)} is missing; the journal records it (${recorded.vouchedBy})`, 'bundle.missing');
      throw error;
    }
    const found = sha256(bytes).toString('hex');
    if (found !== recorded.sha256) {
      throw evidenceError(
        command,
        `${shownAs(recorded.path)} has SHA-256 ${found}, but the journal records ${recorded.sha256} (${recorded.vouchedBy})`,
        'bundle.changed',
      );
    }
    files.set(recorded.path, bytes);
    evidence.push({ ...recorded, bytes: bytes.length });
  }
  const first = verified.records[0]!;
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: 1,
    ceremony: verified.definition.ceremony,
    tool: `keyceremony ${toolVersion()}`,
    journal: {
      records: verified.records.length,
      first: first.time,
      last: last.time,
      sealed: last.event === SEALED_EVENT,
      head: { seq: last.seq, hash: last.hash },
    },
    evidence,
    reports: LANGS.flatMap((lang) => REPORT_FORMATS.map((format) => reportPath(lang, format))),
  };
  return { verified, files, manifest };
}

/** The reports as a bundle carries them: rendered from the journal, naming paths inside the bundle. */
function renderReports(verified: VerifiedWorkdir): Map<string, Buffer> {
  // A bundle has no state.json, so its reports say the head was not checked against one.
  const asBundled = { ...verified, checkedHead: undefined };
  const reports = new Map<string, Buffer>();
  for (const lang of LANGS) {
    for (const format of REPORT_FORMATS) {
      reports.set(
        reportPath(lang, format),
        Buffer.from(renderVerifiedReport(asBundled, format, lang, { journalFile: JOURNAL_FILE, workdir: BUNDLE_WORKDIR_NAME }), 'utf8'),
      );
    }
  }
  return reports;
}

const manifestBytes = (manifest: BundleManifest) => Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');

function sumsBytes(files: ReadonlyMap<string, Buffer>): Buffer {
  const lines = [...files.keys()].sort().map((path) => `${sha256(files.get(path)!).toString('hex')}  ${path}\n`);
  return Buffer.from(lines.join(''), 'utf8');
}

/** Workdir entries that stay out of the bundle, with the reason (names only; nothing is read). */
function leftOutOf(workdir: string, bundled: ReadonlySet<string>): Array<{ path: string; why: string }> {
  const leftOut: Array<{ path: string; why: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = relative(workdir, join(dir, entry.name));
      if (entry.isDirectory() && path === 'dry-run-shares') leftOut.push({ path: `${path}/`, why: 'shares are never bundled' });
      else if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (bundled.has(path)) continue;
      else if (path === 'state.json') leftOut.push({ path, why: 'a cache of the journal, not evidence' });
      else if (/^report\.(md|html)$/.test(path)) leftOut.push({ path, why: 'rendered again from the journal into reports/' });
      else leftOut.push({ path, why: entry.isSymbolicLink() ? 'a symbolic link' : 'not recorded by the journal' });
    }
  };
  walk(workdir);
  return leftOut;
}

/** Writes the evidence bundle of `workdir` to `archive` (a new file). */
export function writeBundle(workdir: string, archive: string): BundleSummary {
  const { verified, files, manifest } = collectEvidence(workdir, 'bundle', (path) => join(workdir, path));
  for (const [path, bytes] of renderReports(verified)) files.set(path, bytes);
  files.set(MANIFEST_FILE, manifestBytes(manifest));
  files.set(SUMS_FILE, sumsBytes(files));
  const folder = `${manifest.ceremony}-evidence`;
  writeArchive(archive, folder, files, new Date(manifest.journal.last));
  const leftOut = leftOutOf(workdir, new Set(files.keys()));
  return { archive, archiveSha256: sha256(readFileSync(archive)).toString('hex'), folder, manifest, leftOut, reportsCompared: false };
}

/** Checks an evidence bundle from scratch; throws naming the first problem. */
export function verifyBundle(archive: string): BundleSummary {
  const command = 'bundle verify';
  const { folder, files } = readArchive(archive, JOURNAL_READ_LIMIT);
  const inArchive = (path: string) => `${archive}: ${folder}/${path}`;
  checkSums(files, inArchive, command);
  const scratch = mkdtempSync(join(tmpdir(), 'keyceremony-bundle-'));
  try {
    const derived = new Set([SUMS_FILE, MANIFEST_FILE]);
    for (const [path, bytes] of files) {
      if (derived.has(path) || path.startsWith('reports/')) continue;
      const file = join(scratch, path);
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        writeFileSync(file, bytes, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        throw evidenceError(command, `${inArchive(path)} cannot be unpacked beside the other files (${errorCode(error) ?? String(error)})`, 'bundle.archive');
      }
    }
    const { verified, files: evidence, manifest } = collectEvidence(scratch, command, inArchive);
    for (const path of files.keys()) {
      if (!derived.has(path) && !path.startsWith('reports/') && !evidence.has(path)) {
        throw evidenceError(
          command,
          `${inArchive(path)} is not recorded by the bundled journal; a bundle holds only what the journal vouches for`,
          'bundle.unrecorded',
        );
      }
    }
    const recordedManifest = parseManifest(files.get(MANIFEST_FILE), inArchive(MANIFEST_FILE), command);
    const sameTool = recordedManifest.tool === manifest.tool;
    const expected = manifestBytes({ ...manifest, tool: recordedManifest.tool });
    if (!expected.equals(files.get(MANIFEST_FILE)!))
      throw evidenceError(command, `${inArchive(MANIFEST_FILE)} does not describe the bundled journal and files as keyceremony would`, 'bundle.manifest');
    let reportsCompared = false;
    const reportsFound = [...files.keys()].filter((path) => path.startsWith('reports/')).sort();
    if (reportsFound.join('\n') !== [...manifest.reports].sort().join('\n'))
      throw evidenceError(command, `${inArchive('reports/')} holds ${reportsFound.join(', ') || 'nothing'}, not the reports a bundle has`, 'bundle.reports');
    if (sameTool) {
      for (const [path, bytes] of renderReports(verified)) {
        if (!bytes.equals(files.get(path)!))
          throw evidenceError(command, `${inArchive(path)} is not the report the bundled journal gives`, 'bundle.report-changed');
      }
      reportsCompared = true;
    }
    return { archive, archiveSha256: sha256(readFileSync(archive)).toString('hex'), folder, manifest: recordedManifest, leftOut: [], reportsCompared };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function checkSums(files: ReadonlyMap<string, Buffer>, inArchive: (path: string) => string, command: string): void {
  const sums = files.get(SUMS_FILE);
  if (!sums) throw evidenceError(command, `${inArchive(SUMS_FILE)} is missing`, 'bundle.sums');
  const listed = new Map<string, string>();
  const lines = sums.toString('utf8').split('\n');
  if (lines.pop() !== '') throw evidenceError(command, `${inArchive(SUMS_FILE)} does not end with a new line`, 'bundle.sums');
  lines.forEach((line, index) => {
    const match = /^([0-9a-f]{64}) {2}(\S.*)$/.exec(line);
    if (!match) throw evidenceError(command, `${inArchive(SUMS_FILE)}, line ${index + 1}: not "<sha256>  <path>"`, 'bundle.sums');
    if (listed.has(match[2]!)) throw evidenceError(command, `${inArchive(SUMS_FILE)}, line ${index + 1}: ${match[2]} is listed twice`, 'bundle.sums');
    listed.set(match[2]!, match[1]!);
  });
  for (const [path, bytes] of files) {
    if (path === SUMS_FILE) continue;
    const recorded = listed.get(path);
    if (recorded === undefined) throw evidenceError(command, `${inArchive(path)} is not listed in ${SUMS_FILE}`, 'bundle.sums');
    const found = sha256(bytes).toString('hex');
    if (found !== recorded) throw evidenceError(command, `${inArchive(path)} has SHA-256 ${found}, but ${SUMS_FILE} lists ${recorded}`, 'bundle.changed');
  }
  for (const path of listed.keys())
    if (!files.has(path)) throw evidenceError(command, `${inArchive(path)} is listed in ${SUMS_FILE} but not in the archive`, 'bundle.missing');
}

function parseManifest(bytes: Buffer | undefined, shown: string, command: string): BundleManifest {
  if (!bytes) throw evidenceError(command, `${shown} is missing`, 'bundle.manifest');
  try {
    const manifest = JSON.parse(bytes.toString('utf8')) as BundleManifest;
    if (manifest.format !== BUNDLE_FORMAT || manifest.formatVersion !== 1 || typeof manifest.tool !== 'string')
      throw new Error(`format is not ${BUNDLE_FORMAT} version 1`);
    return manifest;
  } catch (error) {
    throw evidenceError(command, `${shown} is not a bundle manifest: ${error instanceof Error ? error.message : String(error)}`, 'bundle.manifest');
  }
}
