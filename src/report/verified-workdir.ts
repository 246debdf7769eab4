// What a report is made from, checked before anything is rendered: the workdir's journal
// verifies (against state.json's journal head, and sealed when state.json says the
// ceremony ended), and its definition.yaml is the one whose SHA-256 the journal recorded.
// A record that does not verify is refused, naming the first bad record: an auditor must
// never be handed a tidy document made from a journal that was changed. Each record's data
// is checked against its event's schema as `journal verify` checks it, and refused in the
// same words.
import { existsSync, statSync } from 'node:fs';
import { parseDefinition } from '../definition/loader.js';
import type { Definition } from '../definition/definition.js';
import { ExitCode, InputError, KeyceremonyError } from '../errors.js';
import { JOURNAL_READ_LIMIT } from '../journal/journal.js';
import { OPENED_EVENT, type JournalEventRecord, type JournalHead } from '../journal/record.js';
import { readJournalEvents } from '../journal/events.js';
import { readWorkdirState } from '../journal/workdir-state.js';
import { verifyJournal } from '../journal/verify.js';
import { EVENT_DATA_TEXT, eventDataLine } from '../journal/event-data-text.js';
import type { Lang } from '../util/lang.js';
import { isAuditRecord, type AuditKey } from '../journal/checkpoint.js';
import { checkWorkdirCheckpoints, type CheckpointReport } from '../journal/workdir-checkpoints.js';
import { YAML_FILE_LIMIT } from '../util/bounded-read.js';
import { sha256 } from '../util/fingerprint.js';
import { insideWorkdir, readWorkdirFile, readWorkdirText } from '../util/safe-path.js';

const JOURNAL_FILE = 'journal.jsonl';
const DEFINITION_FILE = 'definition.yaml';

export interface VerifiedWorkdir {
  journalFile: string;
  definition: Definition;
  /** Every record, read as its typed event (its data checked against the event's schema). */
  records: JournalEventRecord[];
  /** The state.json journal head the journal was checked against, when there was one. */
  checkedHead: JournalHead | undefined;
  /** The HSM-signed checkpoints, each checked (none failed: those are refused). */
  checkpoints: CheckpointReport;
}

/**
 * `auditKeys`: the audit public keys given with --audit-key; without them, those the workdir
 * records. A checkpoint that does not verify is refused like a journal that does not.
 */
export function readVerifiedWorkdir(
  workdir: string,
  command: string,
  options: { auditKeys?: AuditKey[] | undefined; lang?: Lang | undefined } = {},
): VerifiedWorkdir {
  if (!existsSync(workdir) || !statSync(workdir).isDirectory()) {
    throw new InputError(`${command}: workdir ${workdir} does not exist`, { hint: 'give the workdir of a ceremony (the directory that holds journal.jsonl)' });
  }
  const journalFile = insideWorkdir(workdir, JOURNAL_FILE);
  if (!existsSync(journalFile)) {
    throw new InputError(`${command}: ${journalFile} does not exist`, {
      hint: `is ${workdir} the workdir of a ceremony? \`keyceremony run\` creates ${JOURNAL_FILE} there`,
    });
  }
  const state = readWorkdirState(workdir, command);
  const result = verifyJournal(readWorkdirFile(workdir, JOURNAL_FILE, JOURNAL_READ_LIMIT), {
    expectedHead: state?.journalHead,
    requireSeal: state?.ended ?? false,
    // What `journal verify` checks: a record that does not fit its event is refused with its words.
    checkEventData: true,
  });
  if (!result.ok && result.problem.eventData !== undefined) {
    const lang = options.lang ?? 'en';
    throw new KeyceremonyError(eventDataLine(lang, command, journalFile, result.problem, result.problem.eventData), {
      hint: EVENT_DATA_TEXT[lang].hint,
      exitCode: ExitCode.failed,
      code: `journal.${result.problem.kind}`,
    });
  }
  if (!result.ok) {
    throw new KeyceremonyError(`${command}: the journal does not verify: ${journalFile}, line ${result.problem.line}: ${result.problem.message}`, {
      hint: `no record is made from a journal that does not verify; keep this copy as evidence, compare it with the backup copy and the paper log, and see \`keyceremony journal verify ${workdir}\``,
      exitCode: ExitCode.failed,
      code: `journal.${result.problem.kind}`,
      details: { file: journalFile, line: result.problem.line },
    });
  }
  const checkpoints = checkWorkdirCheckpoints(workdir, result.records[0]!, result.records.filter(isAuditRecord), options.auditKeys, command, journalFile);
  const records = readJournalEvents(result.records);
  // Record 1 is ceremony.opened (verifyJournal checks it), which records the definition's hash.
  const header = records[0]!;
  const definition = readDefinition(workdir, header.event === OPENED_EVENT ? header.data.definition.sha256 : undefined, command);
  return { journalFile, definition, records, checkedHead: state?.journalHead, checkpoints };
}

/**
 * The workdir's copy of the definition, which must be the script the journal recorded
 * (`recorded`: its SHA-256). Its X.509 profiles were copied into the workdir under their
 * names, so the paths the definition gives are not checked here (checkFiles: false).
 */
export function readDefinition(workdir: string, recorded: string | undefined, command: string): Definition {
  const file = insideWorkdir(workdir, DEFINITION_FILE);
  if (!existsSync(file)) {
    throw new KeyceremonyError(`${command}: ${file} does not exist`, {
      hint: 'the workdir keeps a copy of the ceremony script; restore the workdir from the backup copy',
      code: 'report.definition-missing',
    });
  }
  const text = readWorkdirText(workdir, DEFINITION_FILE, YAML_FILE_LIMIT, 'definition');
  const actual = sha256(text).toString('hex');
  if (actual !== recorded) {
    throw new KeyceremonyError(`${command}: ${file} has SHA-256 ${actual}, but the journal records ${recorded ?? 'none'}`, {
      hint: 'the copy of the ceremony script in the workdir was changed after the ceremony; stop and investigate',
      code: 'definition.changed',
    });
  }
  try {
    return parseDefinition(file, text, { checkFiles: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new KeyceremonyError(`${command}: ${file} does not load: ${reason}`, {
      hint: 'render the report with the keyceremony version that ran the ceremony (the journal header names it); never edit the copy in the workdir',
      code: 'report.definition-invalid',
    });
  }
}
