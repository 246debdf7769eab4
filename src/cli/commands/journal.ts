// `keyceremony journal verify <workdir>`: checks the workdir's journal.jsonl and prints what
// the witnesses copy onto the paper log (record count, first and last time, sealed or not,
// the final hash as hex and PGP words). state.json, when present, says how far the journal
// had got (`journalHead`) and whether the ceremony ended (`status`), so that a journal cut
// at a record boundary, or one that lost its seal, is caught too.
// Then the HSM-signed checkpoints against the audit public key (`--audit-key <file>`, else the
// one the workdir records), and which records they cover (src/journal/checkpoint.ts).
// Exit 0 when the journal verifies, 1 when it does not (naming the first bad record), 2 for usage.
import { existsSync, statSync } from 'node:fs';
import { ExitCode, InputError, KeyceremonyError } from '../../errors.js';
import { JOURNAL_READ_LIMIT } from '../../journal/journal.js';
import { describeRecord, isSha256Hex, type JournalHead } from '../../journal/record.js';
import { STATE_FILE, readWorkdirState, type WorkdirState } from '../../journal/workdir-state.js';
import { EVENT_DATA_TEXT, eventDataLine } from '../../journal/event-data-text.js';
import { verifyJournalSummary, type JournalProblemKind } from '../../journal/verify.js';
import { chooseLang } from '../lang.js';
import { checkWorkdirCheckpoints, readGivenAuditKeys, type CheckpointReport } from '../../journal/workdir-checkpoints.js';
import { groupedHex, pgpWords } from '../../util/fingerprint.js';
import { insideWorkdir, readWorkdirFile } from '../../util/safe-path.js';
import { parseCommandArgs } from '../args.js';
import { println, type CliIo } from '../io.js';

const JOURNAL_FILE = 'journal.jsonl';
const WORDS_PER_LINE = 8;

const HINTS: Record<JournalProblemKind, string> = {
  malformed: 'the journal was edited after it was written; keep this copy as evidence and compare it with the backup copy and the paper log',
  changed: 'the journal was edited after it was written; keep this copy as evidence and compare it with the backup copy and the seal words on the paper log',
  missing: 'records were removed after they were written; keep this copy as evidence and compare it with the backup copy',
  duplicated: 'a record was copied after it was written; keep this copy as evidence and compare it with the backup copy',
  reordered: 'records were moved after they were written; keep this copy as evidence and compare it with the backup copy',
  truncated:
    'the journal is shorter than what was written; if the run was interrupted, `keyceremony resume <workdir>` cuts an unfinished last line and records it; otherwise compare with the backup copy',
  'after-seal': 'something was added after the ceremony was sealed; the paper log has the seal words of the real end',
  unsealed: 'state.json says the ceremony ended, but the journal does not end with its seal; compare it with the backup copy',
  'event-data': EVENT_DATA_TEXT.en.hint,
};

export async function command(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    throw new InputError(`journal: unknown subcommand "${sub ?? ''}"`, { hint: 'use `keyceremony journal verify <workdir>`' });
  }
  const { values, positionals } = parseCommandArgs('journal verify', rest, { 'audit-key': { type: 'string', multiple: true }, lang: { type: 'string' } }, [
    'workdir',
  ]);
  const lang = chooseLang(values.lang, io.env);
  const givenKeys = values['audit-key'] === undefined ? undefined : readGivenAuditKeys(values['audit-key'], 'journal verify');
  const workdir = positionals[0]!;
  if (!existsSync(workdir) || !statSync(workdir).isDirectory()) {
    throw new InputError(`journal verify: workdir ${workdir} ${existsSync(workdir) ? 'is not a directory' : 'does not exist'}`, {
      hint: 'give the workdir of a ceremony (the directory that holds journal.jsonl)',
    });
  }
  const file = insideWorkdir(workdir, JOURNAL_FILE);
  if (!existsSync(file)) {
    throw new InputError(`journal verify: ${file} does not exist`, {
      hint: `is ${workdir} the workdir of a ceremony? \`keyceremony run\` creates ${JOURNAL_FILE} there`,
    });
  }
  const state = readWorkdirState(workdir, 'journal verify');
  let bytes: Buffer;
  try {
    bytes = readWorkdirFile(workdir, JOURNAL_FILE, JOURNAL_READ_LIMIT);
  } catch (error) {
    if (error instanceof KeyceremonyError) throw error;
    throw new KeyceremonyError(`journal verify: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { code: 'journal.read' });
  }

  const result = verifyJournalSummary(bytes, { expectedHead: state?.journalHead, requireSeal: state?.ended === true, checkEventData: true });
  println(io.stdout, `journal   ${file}`);
  if (!result.ok) {
    const { problem, records } = result;
    println(
      io.stdout,
      records.length === 0 ? 'verified  no records before the problem' : `verified  records 1 to ${records.length}, before the problem at line ${problem.line}`,
    );
    const eventData = problem.eventData;
    const message =
      eventData === undefined
        ? `journal verify: ${file}, line ${problem.line}: ${problem.message}`
        : eventDataLine(lang, 'journal verify', file, problem, eventData);
    throw new KeyceremonyError(message, {
      hint: eventData === undefined ? HINTS[problem.kind] : EVENT_DATA_TEXT[lang].hint,
      exitCode: ExitCode.failed,
      code: `journal.${problem.kind}`,
      // The facts of the Chinese sentence; a record that does not fit its event is worded in the language of --lang already.
      ...(eventData === undefined ? { details: { file, line: problem.line } } : {}),
    });
  }

  const { count, first, last, head, sealed, auditRecords } = result;
  const checkpoints = checkWorkdirCheckpoints(workdir, first, auditRecords, givenKeys, 'journal verify', file);
  const definition = (first.data.definition as { sha256?: unknown } | undefined)?.sha256;
  if (isSha256Hex(definition)) println(io.stdout, `script    SHA-256 ${groupedHex(definition)}`);
  println(io.stdout, `records   ${count}, from ${first.time} to ${last.time}`);
  const recorded = state?.status === undefined ? '' : ` (${STATE_FILE} status: ${state.status})`;
  println(
    io.stdout,
    sealed ? `status    sealed at record ${last.seq}${recorded}` : `status    open: not sealed, the last record is ${describeRecord(last)}${recorded}`,
  );
  println(io.stdout, `head      ${headLine(state, head, sealed)}`);
  println(io.stdout, `hash      ${groupedHex(head.hash)}`);
  const words = pgpWords(Buffer.from(head.hash, 'hex')).split(' ');
  for (let i = 0; i < words.length; i += WORDS_PER_LINE) {
    println(io.stdout, `${i === 0 ? 'words     ' : '          '}${words.slice(i, i + WORDS_PER_LINE).join(' ')}`);
  }
  println(io.stdout, `verified  ${count} ${count === 1 ? 'record' : 'records'}: none changed, missing, duplicated or reordered`);
  for (const line of checkpointLines(checkpoints, head.seq)) println(io.stdout, line);
  return ExitCode.completed;
}

/** What the checkpoints prove, and what they do not: the records after the last verified one rest on the final hash alone. */
function checkpointLines(report: CheckpointReport, lastSeq: number): string[] {
  const { checks, keys, keysFrom } = report;
  if (checks.length === 0) return [`checkpoints none: every record is covered only by the final hash on the paper log`];
  const verified = checks.filter((c) => c.status === 'verified');
  const unchecked = checks.filter((c) => c.status === 'no-key');
  const lines = [
    `checkpoints ${checks.length}, ${verified.length} verified${unchecked.length > 0 ? `, ${unchecked.length} not checked (no audit key with their SPKI SHA-256 ${[...new Set(unchecked.map((c) => c.spkiSha256))].join(', ')}: give --audit-key)` : ''}`,
  ];
  for (const key of keys.filter((k) => verified.some((c) => c.key === k))) {
    lines.push(
      `audit key SPKI SHA-256 ${groupedHex(key.spkiSha256)} (${keysFrom === 'given' ? `--audit-key ${key.source}` : `${key.source}, from the workdir: compare with the init-token record`})`,
    );
  }
  const covered = verified.at(-1)?.signedSeq;
  lines.push(
    covered === undefined
      ? 'covered   no record by a verified checkpoint: every record only by the final hash'
      : covered >= lastSeq - 1
        ? `covered   records 1 to ${covered} by the checkpoint signed in the HSM`
        : `covered   records 1 to ${covered} by the checkpoint signed in the HSM; records ${covered + 1} to ${lastSeq} only by the final hash`,
  );
  return lines;
}

function headLine(state: WorkdirState | undefined, head: JournalHead, sealed: boolean): string {
  if (state?.journalHead === undefined) {
    const why = state === undefined ? `no ${STATE_FILE}` : `${STATE_FILE} has no journalHead`;
    return sealed
      ? `not checked (${why}); the seal shows that nothing was cut off the end`
      : `not checked (${why}): records cut off after the last one shown would not be noticed`;
  }
  const ahead = head.seq - state.journalHead.seq;
  return ahead === 0
    ? `matches ${STATE_FILE} (record ${head.seq})`
    : `reaches record ${state.journalHead.seq} as ${STATE_FILE} records, and ${ahead} more written before the state was saved`;
}
