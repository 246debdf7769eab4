// The ceremonies of a history: every folder directly inside the given one that holds a
// journal (others, such as a token store or shares, are passed over). Each journal is
// verified as `report` verifies it, and every file it vouches for (definition, profiles,
// inputs, outputs) is checked against its SHA-256. A journal that does not verify, or a
// file that differs, is a finding: that ceremony is left out of the history, the rest is
// still shown, and the command exits 1.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, KeyceremonyError } from '../errors.js';
import { recordedFiles } from '../evidence/recorded-files.js';
import { readVerifiedWorkdir } from '../report/verified-workdir.js';
import { INPUT_FILE_LIMIT } from '../util/bounded-read.js';
import { sha256 } from '../util/fingerprint.js';
import { readWorkdirFile } from '../util/safe-path.js';
import { ceremonyFacts, type CeremonyFacts } from './facts.js';
import type { Finding } from './history.js';
import { errorCode } from '../util/storage.js';

const JOURNAL_FILE = 'journal.jsonl';
const COMMAND = 'history';

export function readCeremonies(folder: string): { ceremonies: CeremonyFacts[]; findings: Finding[] } {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new InputError(`history: ${folder} ${existsSync(folder) ? 'is not a directory' : 'does not exist'}`, {
      hint: 'give the folder that holds the workdirs of the ceremonies, one folder each (as `npm run dry-run -- --out <dir>` leaves them)',
    });
  }
  const workdirs = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, JOURNAL_FILE)))
    .map((entry) => join(folder, entry.name))
    .sort();
  if (workdirs.length === 0) {
    throw new InputError(`history: no workdir in ${folder}: no folder in it holds a ${JOURNAL_FILE}`, {
      hint: 'give the folder that holds the workdirs, not a workdir itself',
    });
  }
  const ceremonies: CeremonyFacts[] = [];
  const findings: Finding[] = [];
  for (const workdir of workdirs) {
    const name = workdir.slice(folder.length).replace(/^\/+/, '');
    let verified;
    try {
      verified = readVerifiedWorkdir(workdir, COMMAND);
    } catch (error) {
      if (!(error instanceof KeyceremonyError)) throw error;
      findings.push({ kind: 'journal', workdir: name, message: error.message });
      continue;
    }
    const problems = fileProblems(workdir, verified.records, verified.journalFile);
    if (problems.length > 0) {
      findings.push(...problems.map((message): Finding => ({ kind: 'file', workdir: name, message })));
      continue;
    }
    ceremonies.push(ceremonyFacts(workdir, verified.definition, verified.records));
  }
  return { ceremonies, findings };
}

/** Every file the journal vouches for, checked: missing or different ones, as messages. */
function fileProblems(workdir: string, records: Parameters<typeof recordedFiles>[0], journalFile: string): string[] {
  const problems: string[] = [];
  for (const recorded of recordedFiles(records, journalFile)) {
    let bytes: Buffer;
    try {
      bytes = readWorkdirFile(workdir, recorded.path, INPUT_FILE_LIMIT);
    } catch (error) {
      const code = errorCode(error);
      problems.push(
        `${recorded.path} ${code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? String(error)})`}; the journal records it (${recorded.vouchedBy})`,
      );
      continue;
    }
    const found = sha256(bytes).toString('hex');
    if (found !== recorded.sha256) problems.push(`${recorded.path} has SHA-256 ${found}, but the journal records ${recorded.sha256} (${recorded.vouchedBy})`);
  }
  return problems;
}
