// What the parts of the record share: the definition read as a script, the journal read
// as a record, and how people, the ceremony's status and the seal are named in it.
import type { Step } from '../definition/definition.js';
import { specOf } from '../steps/index.js';
import type { CeremonyRecord, StepFact } from './ceremony-record.js';
import type { Script } from './script.js';
import { softwareTokenName } from '../hsm/software-token.js';

export interface JournalCheck {
  /** The journal file as given on the command line. */
  file: string;
  /** The seq of state.json's journalHead that the journal was checked against, if any. */
  headChecked: number | undefined;
  /** The command that checks the journal again. */
  verifyCommand: string;
  /** The HSM-signed checkpoints as checked (src/journal/workdir-checkpoints.ts); none checked when absent. */
  checkpoints?: CheckpointFacts | undefined;
}

/** What the report shows of the checkpoints: plain facts, each already checked. */
export interface CheckpointFacts {
  keysFrom: 'given' | 'workdir';
  checks: Array<{ seq: number; signedSeq: number | undefined; token: string | undefined; spkiSha256: string | undefined; time: string; verified: boolean }>;
}

/** Everything the record's sections are built from. */
export interface Context extends Script {
  record: CeremonyRecord;
  journal: JournalCheck;
}

/** `王小明 Alice (alice)`, `王小明 Alice（alice）` in zh-TW: the name as signed in, and the id the journal uses. */
export function person(c: Context, id: string): string {
  const p = c.record.participants.find((candidate) => candidate.id === id);
  return p === undefined || p.name === '' ? id : c.t.aside(p.name, id);
}

export function people(c: Context, ids: readonly string[]): string {
  return ids.length === 0 ? c.t.none : ids.map((id) => person(c, id)).join(c.t.listSeparator);
}

export function isDryRun(c: Context): boolean {
  return c.record.header.hsm.profile.dryRun;
}

/**
 * A production ceremony held on a software token (SoftHSM, NSS softoken; `run
 * --allow-software-token`): what the journal header says the token is (a token's
 * manufacturer and model, else the module's). Undefined for an HSM, and for a dry run.
 */
export function softwareTokenOf(c: Context): string | undefined {
  if (isDryRun(c)) return undefined;
  const { module } = c.record.header.hsm;
  const tokens = c.record.tokens;
  if (softwareTokenName(module, ...tokens) === undefined) return undefined;
  const token = tokens.find((t) => softwareTokenName(t) !== undefined);
  return token ? [token.manufacturer, token.model].filter(Boolean).join(' ') : [module.manufacturer, module.description].filter(Boolean).join(', ');
}

/** `sealed at record 43 (completed)`, or `not sealed`. */
export function sealText(c: Context): string {
  const seal = c.record.seal;
  if (seal === undefined) return c.t.notSealed;
  return c.t.sealedAt(seal.seq, seal.status === 'aborted' ? c.t.sealStatuses.aborted : c.t.sealStatuses.completed);
}

export function statusText(c: Context): string {
  const seal = c.record.seal;
  if (seal === undefined) return c.t.statusOpen;
  return seal.status === 'aborted' ? c.t.statusAborted : c.t.statusCompleted;
}

/** The hash the witnesses read aloud: the seal's, or the last record's while unsealed. */
export function finalHash(c: Context): string {
  return c.record.seal?.hash ?? c.record.last.hash;
}

/** A step still in progress when the journal was sealed was cut short (an abort). */
export function stepStatusText(c: Context, fact: StepFact): string {
  const ended = c.record.seal !== undefined;
  if (fact.status === 'in-progress' && ended) return c.t.stepStatuses.stopped;
  return c.t.stepStatuses[fact.status];
}

/** Values in the order the script lists its fields (the journal's canonical JSON sorts them). */
export function orderedValues(step: Step, values: ReadonlyArray<readonly [string, string]>): ReadonlyArray<readonly [string, string]> {
  const fields = specOf(step).typedFields?.(step);
  if (fields === undefined) return values;
  const order = fields.map((f) => f.id);
  const rank = (field: string): number => (order.includes(field) ? order.indexOf(field) : order.length);
  return [...values].sort((a, b) => rank(a[0]) - rank(b[0]));
}

/** The script's approval the journal's first record holds (`run --approved-by …`), if any. */
export function approvalOf(c: Context): { approvedBy: string; reference: string; sha256Typed: string } | undefined {
  return c.record.header.approval;
}
