// The ledger anchor on the token that holds the issuing key (src/ledger/anchor.ts,
// docs/ledger-format.md "The anchor on the token"). A step that signs with a ledger calls
// guardLedger after the token is unlocked and before the key signs anything: the anchor is
// read and the ledger brought in compared with it. After the new ledger is written,
// advanceAnchor moves the anchor to its end. Both go into the step's journal record.
//
// Crash safety: the order is sign, write the outputs (the new ledger last), write the anchor,
// then the journal record. A crash before the anchor leaves the anchor at the ledger brought
// in: resume moves the unrecorded outputs aside and the step runs again from it. A crash after
// the anchor leaves it at the new ledger, which resume moved aside: the anchor says which
// ceremony (its journal's record 1) and step wrote it and where the ledger was before, so the
// same step of the same ceremony runs again from the ledger brought in; no other ceremony can.
import type { Ledger } from '../../ledger/ledger.js';
import {
  ANCHOR_APPLICATION,
  anchorBytes,
  anchorFacts,
  anchorLabel,
  anchorOf,
  checkAnchor,
  currentAnchor,
  parseAnchor,
  type AnchorVerdict,
  type LedgerAnchor,
} from '../../ledger/anchor.js';
import { tokenCapabilities } from '../../hsm/profile.js';
import type { HsmSession } from '../../hsm/hsm.js';
import type { CeremonyDeps } from '../run-types.js';
import type { LedgerSpec } from './step-schema.js';
import { tokenOfKey } from './keys.js';

export interface AnchorGuard {
  token: string;
  label: string;
  /** The anchor read before signing; undefined when the token had none. */
  read: LedgerAnchor | undefined;
  verdict: AnchorVerdict;
  /** The ledger the step started from, when it was brought in (not opened here). */
  before: Ledger | undefined;
  session: HsmSession;
}

/** A token that cannot hold data objects (profile dataObjects: false, NSS softoken) keeps no anchor. */
export type Guarded = AnchorGuard | { token: string; unsupported: true };

const writer = (deps: CeremonyDeps, step: { id: string }) => ({ ceremony: deps.definition.ceremony, step: step.id, journal: deps.journalOpened ?? '' });

/**
 * Before the key signs: the key's anchor against the ledger the step is about to continue
 * (or open). Refused (nothing signed) when the ledger is older than the anchor, on another
 * chain, or a second ledger of the key; see checkAnchor.
 */
export function guardLedger(deps: CeremonyDeps, step: { id: string; key: string }, spec: LedgerSpec, ledger: Ledger): Guarded {
  const token = tokenOfKey(deps.definition, step.key);
  if (!tokenCapabilities(deps.profile, token).dataObjects) return { token, unsupported: true };
  const session = deps.sessions.loggedIn(token);
  const label = anchorLabel(ledger.header.spkiSha256);
  const values = session.readPrivateData(ANCHOR_APPLICATION, label);
  const where = `the ledger anchor "${label}" on token ${token}`;
  const read = currentAnchor(
    values.map((value) => parseAnchor(value, where)),
    where,
  );
  const opened = !spec.from;
  const file = spec.from ?? spec.to;
  const verdict = checkAnchor({ anchor: read, ledger, opened, file, reader: { ...writer(deps, step), key: step.key, token } });
  return { token, label, read, verdict, before: opened ? undefined : ledger, session };
}

/** After the new ledger is written: the anchor moved to its end, written on the token. */
export function advanceAnchor(deps: CeremonyDeps, step: { id: string }, guard: Guarded, written: Ledger): LedgerAnchor | undefined {
  if ('unsupported' in guard) return undefined;
  const anchor = anchorOf(written, guard.before, writer(deps, step));
  guard.session.writePrivateData(ANCHOR_APPLICATION, guard.label, anchorBytes(anchor));
  return anchor;
}

/** What the step's journal record keeps of the anchor: read, verdict and written (no secrets). */
export function anchorDetails(guard: Guarded, written: LedgerAnchor | undefined) {
  if ('unsupported' in guard)
    return { ledgerAnchor: { token: guard.token, kept: false, note: 'the HSM profile says this token keeps no data objects (dataObjects: false): no anchor' } };
  return {
    ledgerAnchor: {
      token: guard.token,
      kept: true,
      label: guard.label,
      verdict: guard.verdict,
      read: guard.read ? anchorFacts(guard.read) : null,
      written: written ? anchorFacts(written) : null,
    },
  };
}
