// `keyceremony report <workdir> [--letter] [--format md|html] [--lang en|zh-TW] [--out <file>] [--audit-key <file>]…`:
// the ceremony record for the auditors, or with --letter the one-page attestation letter for
// the CA's security officer to sign, made only from a journal that verifies (exit 1 naming
// the first bad record otherwise). To stdout, or to a new file: a report is evidence, so
// an existing file is never overwritten.
import { closeSync, openSync, writeSync } from 'node:fs';
import { ExitCode, InputError, KeyceremonyError } from '../../errors.js';
import { parseFormat } from '../../report/render.js';
import { renderWorkdirReport } from '../../report/workdir-report.js';
import { readGivenAuditKeys } from '../../journal/workdir-checkpoints.js';
import { groupedHex, sha256 } from '../../util/fingerprint.js';
import { parseCommandArgs } from '../args.js';
import { println, type CliIo } from '../io.js';
import { chooseLang, type Lang } from '../lang.js';
import { errorCode } from '../../util/storage.js';

export async function command(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'report',
    args,
    {
      format: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      letter: { type: 'boolean' },
      'audit-key': { type: 'string', multiple: true },
    },
    ['workdir'],
  );
  const format = parseFormat('report', values.format);
  const lang = chooseLang(values.lang, io.env);
  const auditKeys = values['audit-key'] === undefined ? undefined : readGivenAuditKeys(values['audit-key'], 'report');
  const document = values.letter === true ? 'letter' : 'report';
  const text = renderWorkdirReport(positionals[0]!, format, lang, 'report', { auditKeys, document });
  if (values.out === undefined) {
    io.stdout.write(text);
    return ExitCode.completed;
  }
  writeNewFile(values.out, text);
  const said = WRITTEN[lang][document];
  println(io.stdout, `keyceremony: ${said.written(values.out)}`);
  println(io.stdout, `keyceremony: ${said.sha256(groupedHex(sha256(text).toString('hex')))}`);
  return ExitCode.completed;
}

/** The two lines after a report is written, in the language of --lang (a zh-TW terminal read them in English). */
const WRITTEN: Record<Lang, Record<'report' | 'letter', { written: (file: string) => string; sha256: (hex: string) => string }>> = {
  en: {
    report: { written: (file) => `report written to ${file}`, sha256: (hex) => `report sha256 ${hex}` },
    letter: { written: (file) => `attestation letter written to ${file}`, sha256: (hex) => `attestation letter sha256 ${hex}` },
  },
  'zh-TW': {
    report: { written: (file) => `報告已寫入 ${file}`, sha256: (hex) => `報告 SHA-256：${hex}` },
    letter: { written: (file) => `見證聲明書已寫入 ${file}`, sha256: (hex) => `見證聲明書 SHA-256：${hex}` },
  },
};

function writeNewFile(file: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST')
      throw new InputError(`report: ${file} already exists`, {
        hint: 'a report is never overwritten; give --out a new file name',
        says: { key: 'report.exists', params: { file } },
      });
    throw new KeyceremonyError(`report: cannot create ${file}: ${code ?? String(error)}`, { hint: 'check that the folder exists and is writable' });
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
