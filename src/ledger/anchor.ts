// The ledger anchor (issue 17 item 5, docs/ledger-format.md "The anchor on the token"): a
// small record, kept on the token that holds the issuing key, of where that key's ledger
// ends. A ledger file travels between ceremonies and verifies on its own even when it is an
// older copy, a rewritten and rehashed one, or a second ledger opened for the same key; the
// anchor is what a ceremony compares it with before the key signs, so that a CRL number or a
// serial is never used twice. Pure: the step helper (steps/shared/ledger-anchor-run.ts)
// reads and writes it on the token.
import { InputError } from '../errors.js';
import { canonicalJson } from '../journal/canonical-json.js';
import { sha256 } from '../util/fingerprint.js';
import type { Ledger } from './ledger.js';

export const ANCHOR_FORMAT = 'keyceremony-ledger-anchor/1';
/** CKA_APPLICATION of the anchor's data object. */
export const ANCHOR_APPLICATION = 'keyceremony';
/** CKA_LABEL of the anchor of the key whose SubjectPublicKeyInfo has this SHA-256. */
export const anchorLabel = (spkiSha256: string) => `ledger:${spkiSha256}`;

/** Where a ledger ends: its last line's seq and SHA-256, and its last CRL number. */
export interface LedgerPosition {
  seq: number;
  headSha256: string;
  /** The last CRL number the ledger records (or its history declares); null before any. */
  lastCrlNumber: string | null;
}

export interface LedgerAnchor extends LedgerPosition {
  format: typeof ANCHOR_FORMAT;
  spkiSha256: string;
  /**
   * Where the ledger ended before the step that wrote this anchor appended to it; null when
   * that step opened the ledger. With writtenBy, it lets the same step of the same ceremony
   * run again after a crash that came after the anchor and before the journal record.
   */
  previous: { seq: number; headSha256: string } | null;
  /** The ceremony and step that wrote it; journal: the hash of record 1 of that ceremony's journal. */
  writtenBy: { ceremony: string; step: string; journal: string };
}

/** Who is about to sign: the ceremony (by its journal's first record), the step, and the key. */
export interface AnchorReader {
  ceremony: string;
  step: string;
  journal: string;
  /** The key, as the definition names it, and the token it is on: for the messages. */
  key: string;
  token: string;
}

/**
 * What the anchor said of the ledger brought: `matches` (it ends at the anchored head),
 * `first-use` (no anchor, a ledger brought in: the key signed before anchors existed),
 * `new-ledger` (no anchor, a ledger opened here), `resumed` (the anchor was written by this
 * very step of this ceremony before an interruption; the ledger is the one it started from),
 */
export type AnchorVerdict = 'matches' | 'first-use' | 'new-ledger' | 'resumed';

const HEX64 = /^[0-9a-f]{64}$/;
const lineHash = (line: string) => sha256(line).toString('hex');

export function ledgerPosition(ledger: Ledger): LedgerPosition {
  const lastCrl = ledger.entries.filter((e) => e.entry === 'crl').at(-1);
  const lastCrlNumber = lastCrl?.entry === 'crl' ? lastCrl.crlNumber : (ledger.header.history?.lastCrlNumber ?? null);
  return { seq: ledger.lines.length - 1, headSha256: lineHash(ledger.lines.at(-1)!), lastCrlNumber };
}

/** The anchor of `written`, the ledger a step wrote from `before` (undefined: it opened the ledger). */
export function anchorOf(written: Ledger, before: Ledger | undefined, writtenBy: LedgerAnchor['writtenBy']): LedgerAnchor {
  const previous = before ? ledgerPosition(before) : undefined;
  return {
    format: ANCHOR_FORMAT,
    spkiSha256: written.header.spkiSha256,
    ...ledgerPosition(written),
    previous: previous ? { seq: previous.seq, headSha256: previous.headSha256 } : null,
    writtenBy,
  };
}

/** The data object's value: the anchor's canonical JSON (RFC 8785), as docs/ledger-format.md says. */
export const anchorBytes = (anchor: LedgerAnchor): Buffer => Buffer.from(canonicalJson(anchor), 'utf8');

const anchorProblem = (where: string, problem: string): never => {
  throw new InputError(`${where}: ${problem}`, {
    code: 'ledger.anchor-unreadable',
    hint: 'keyceremony did not write this data object as it is; compare it with the journals of this key’s ceremonies (pkcs11-tool --read-object --type data) and record an exception',
  });
};

/** Reads an anchor's value, refusing one keyceremony did not write (another format, fields missing). */
export function parseAnchor(bytes: Buffer, where: string): LedgerAnchor {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return anchorProblem(where, 'is not JSON');
  }
  const a = value as Partial<LedgerAnchor> | null;
  const position = (p: unknown) => {
    const q = p as { seq?: unknown; headSha256?: unknown } | null;
    return (
      typeof q === 'object' &&
      q !== null &&
      Number.isSafeInteger(q.seq) &&
      (q.seq as number) >= 0 &&
      typeof q.headSha256 === 'string' &&
      HEX64.test(q.headSha256)
    );
  };
  if (typeof a !== 'object' || a === null || a.format !== ANCHOR_FORMAT) return anchorProblem(where, `is not a ${ANCHOR_FORMAT} anchor`);
  if (typeof a.spkiSha256 !== 'string' || !HEX64.test(a.spkiSha256) || !position(a)) return anchorProblem(where, 'has no key, seq or head');
  if (a.lastCrlNumber !== null && (typeof a.lastCrlNumber !== 'string' || !/^[1-9][0-9]*$/.test(a.lastCrlNumber)))
    return anchorProblem(where, 'has a last CRL number that is not a positive decimal');
  if (a.previous !== null && !position(a.previous)) return anchorProblem(where, 'has a previous head that is not { seq, headSha256 }');
  const w = a.writtenBy as Partial<LedgerAnchor['writtenBy']> | undefined;
  if (typeof w !== 'object' || w === null || typeof w.ceremony !== 'string' || typeof w.step !== 'string' || typeof w.journal !== 'string')
    return anchorProblem(where, 'does not say which ceremony wrote it');
  return a as LedgerAnchor;
}

/**
 * The key's anchor among the data objects found. keyceremony writes a new anchor first and
 * destroys the old ones after, so a crash in between leaves more than one: the old anchor, and
 * one or more attempts of the step that continued it (the first run, then each resumed run of
 * the same step of the same ceremony, all from the same previous head). Those read as the
 * newest attempt: the journal recorded none of them, and resume runs that step again from the
 * ledger they all continue. Anything else is refused: keyceremony never leaves anchors that
 * do not follow one another.
 */
export function currentAnchor(anchors: LedgerAnchor[], where: string): LedgerAnchor | undefined {
  if (anchors.length <= 1) return anchors[0];
  const continues = (next: LedgerAnchor, old: LedgerAnchor) => next.previous?.seq === old.seq && next.previous.headSha256 === old.headSha256;
  const continued = anchors.filter((old) => anchors.some((next) => next !== old && continues(next, old)));
  const attempts = anchors.filter((a) => !continued.includes(a));
  const first = attempts[0];
  const sameAttempt = (a: LedgerAnchor) =>
    first !== undefined &&
    a.writtenBy.ceremony === first.writtenBy.ceremony &&
    a.writtenBy.step === first.writtenBy.step &&
    a.writtenBy.journal === first.writtenBy.journal &&
    a.previous?.seq === first.previous?.seq &&
    a.previous?.headSha256 === first.previous?.headSha256;
  const old = continued[0];
  if (continued.length <= 1 && attempts.every(sameAttempt) && (old === undefined || attempts.every((a) => continues(a, old)))) return attempts.at(-1);
  throw new InputError(`${where}: the token holds ${anchors.length} anchors of this key that do not follow one another; nothing was signed`, {
    code: 'ledger.anchor-twice',
    hint: 'keyceremony writes one: compare them (pkcs11-tool --read-object --type data) with the journals of this key’s ceremonies, and record an exception before removing the one that is not keyceremony’s',
  });
}

const crl = (n: string | null) => (n === null ? 'none yet' : n);
const at = (p: LedgerPosition) => `seq ${p.seq} (last CRL number ${crl(p.lastCrlNumber)}, head SHA-256 ${p.headSha256})`;

function refused(problem: string, code: string, anchor: LedgerAnchor): never {
  throw new InputError(problem, {
    code,
    hint: `bring the ledger the last ceremony of this key wrote (ceremony ${anchor.writtenBy.ceremony}, step ${anchor.writtenBy.step}: its journal has the ledger's SHA-256; keyceremony history links them); nothing was signed`,
  });
}

/**
 * The ledger a step is about to sign on, against the key's anchor (undefined: the token has
 * none). Refuses an older ledger, a different chain, and a new ledger for a key that has one,
 * naming the ledger file, the key and both positions; else says why it was accepted.
 */
export function checkAnchor(o: { anchor: LedgerAnchor | undefined; ledger: Ledger; opened: boolean; file: string; reader: AnchorReader }): AnchorVerdict {
  const { anchor, ledger, opened, file, reader } = o;
  if (!anchor) return opened ? 'new-ledger' : 'first-use';
  const key = `key ${reader.key} (SPKI SHA-256 ${anchor.spkiSha256}) on token ${reader.token}`;
  const anchored = `the token's anchor of its ledger is at ${at(anchor)}, written by ceremony ${anchor.writtenBy.ceremony}, step ${anchor.writtenBy.step}`;
  const here = ledgerPosition(ledger);
  // The same step of the same ceremony, run again after a crash between the anchor and the
  // journal record: the ledger it started from is the anchor's previous one.
  const sameStep = anchor.writtenBy.journal === reader.journal && anchor.writtenBy.ceremony === reader.ceremony && anchor.writtenBy.step === reader.step;
  if (sameStep && (opened ? anchor.previous === null : anchor.previous?.seq === here.seq && anchor.previous.headSha256 === here.headSha256)) return 'resumed';
  if (opened) {
    refused(
      `step ${reader.step} opens a new ledger ${file} for ${key}, but this key already has a ledger: ${anchored}; a key keeps one ledger, and a second one would number CRLs and check serials again from its start`,
      'ledger.anchor-second-ledger',
      anchor,
    );
  }
  if (here.seq === anchor.seq && here.headSha256 === anchor.headSha256) return 'matches';
  if (here.seq > anchor.seq && lineHash(ledger.lines[anchor.seq]!) === anchor.headSha256) {
    // Entries past the anchor were not written by a ceremony on this token. Anyone can append
    // to a hash chain, and a CRL carries every earlier revocation forward, so an appended
    // revocation would reach the next CRL without the witnesses seeing it: refused.
    refused(
      `ledger ${file} of ${key} ends at ${at(here)}, past where ${anchored}: its entries after seq ${anchor.seq} were not written on this token, and a revocation among them would be carried into the next CRL unseen`,
      'ledger.anchor-ahead',
      anchor,
    );
  }
  if (here.seq < anchor.seq) {
    refused(
      `ledger ${file} of ${key} ends at ${at(here)}, but ${anchored}: it is an older copy of this key's ledger, and signing on it would use a CRL number or a serial again`,
      'ledger.anchor-older',
      anchor,
    );
  }
  return refused(
    `ledger ${file} of ${key} ends at ${at(here)}, but ${anchored}, and the ledger's entry ${anchor.seq + 1} is not the anchored one: the ledger was rewritten (and rehashed) or forked`,
    'ledger.anchor-other-chain',
    anchor,
  );
}

/** What the journal keeps of an anchor: its fields (nothing secret is in it). */
export const anchorFacts = (a: LedgerAnchor) => ({
  seq: a.seq,
  headSha256: a.headSha256,
  lastCrlNumber: a.lastCrlNumber,
  previous: a.previous,
  writtenBy: a.writtenBy,
});
