// Why a share or a set of shares was refused, in words that name the share, the group and
// the custodian, never a character of the share. Each refusal has its own code
// (`share.<problem>`) so the ceremony engine and the journal can tell them apart.
import { KeyceremonyError } from '../errors.js';

export type ShareProblem =
  | 'malformed' // not a share: wrong characters, wrong length, impossible fields
  | 'version' // a share format this build does not read
  | 'checksum' // a group's check character or the whole share's checksum does not match
  | 'foreign-set' // a good share of another share set
  | 'index' // an index the manifest does not have
  | 'commitment' // not the share the manifest committed to for that index
  | 'custodian' // someone entered another custodian's share
  | 'duplicate' // the same index twice
  | 'too-few' // fewer shares than the threshold
  | 'verifier'; // the rebuilt secret is not the one the manifest verifies

export class ShareError extends KeyceremonyError {
  readonly problem: ShareProblem;
  /** 1-based numbers of the groups found wrong, when the problem is in particular groups. */
  readonly groups: readonly number[];

  /**
   * `facts`: what the message names (share number, custodian, share set), for a sentence in
   * another language; the group numbers join them as `groups` ("3,7").
   */
  constructor(problem: ShareProblem, message: string, details: { hint: string; groups?: readonly number[]; facts?: Record<string, string | number> }) {
    const groups = details.groups ?? [];
    super(message, { hint: details.hint, code: `share.${problem}`, details: { ...details.facts, ...(groups.length > 0 ? { groups: groups.join(',') } : {}) } });
    this.problem = problem;
    this.groups = details.groups ?? [];
  }
}

/** Who gave a share, for messages: the participant who typed it, or its place in a list. */
export interface ShareRef {
  who?: string | undefined;
  /** 1-based position in the list of shares given to combine(). */
  position?: number | undefined;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** A share not yet read: "the share entered by alice", "the 2nd share". */
export function unreadShareName(ref: ShareRef): string {
  if (ref.who !== undefined) return `the share entered by ${ref.who}`;
  if (ref.position !== undefined) return `the ${ordinal(ref.position)} share given`;
  return 'the share';
}

/**
 * A share whose index is known: "share 3 (bob)", "share 3 (bob) entered by alice",
 * "the 2nd share given (share 3, bob)".
 */
export function shareName(ref: ShareRef, index: number, custodian: string | undefined): string {
  if (ref.who !== undefined) {
    const base = custodian === undefined ? `share ${index}` : `share ${index} (${custodian})`;
    return ref.who === custodian ? base : `${base} entered by ${ref.who}`;
  }
  if (ref.position !== undefined) {
    return `the ${ordinal(ref.position)} share given (share ${index}${custodian === undefined ? '' : `, ${custodian}`})`;
  }
  return custodian === undefined ? `share ${index}` : `share ${index} (${custodian})`;
}

/** "1", "1 and 2", "1, 2 and 3" */
export function listWords(items: readonly (string | number)[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${String(items.at(-1))}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
