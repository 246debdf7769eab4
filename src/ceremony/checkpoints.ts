// The effect of a journal checkpoint (src/journal/checkpoint.ts says what it is): while a
// token is logged in as the user and holds the audit key, the token signs the journal's
// head and the signature is appended as a `journal.checkpoint` record. Called before every
// logout the ceremony makes on purpose: at lock, at the end of init-token, and before an
// orderly stop (a signal, a stop at the terminal, a failed step). A crash makes none: the
// records after the last checkpoint are then covered only by the final hash.
import type { HsmSession } from '../hsm/hsm.js';
import { AUDIT_KEY_LABEL, CHECKPOINT_EVENT, checkpointMessage, ecdsaRawToDer, type CheckpointData } from '../journal/checkpoint.js';
import type { JournalIntent } from '../journal/events.js';
import type { Journal } from '../journal/journal.js';
import type { JournalRecord } from '../journal/record.js';
import { defaultHash } from '../util/key-algorithm.js';
import { describeSignMechanism } from '../hsm/sign-mechanism.js';

/** Signs the journal's head with the audit key of `token`'s session, when it can; the record, or undefined. */
export type Checkpoint = (token: string, session: HsmSession | undefined, step: string | null) => Promise<JournalRecord | undefined>;

export function checkpointer(journal: Journal): Checkpoint {
  return async (token, session, step) => {
    // The SO cannot use private keys; a sealed journal takes no more records.
    if (!session || session.loggedInAs !== 'user' || journal.sealed) return undefined;
    const key = session.findKeyPair(AUDIT_KEY_LABEL);
    if (!key) return undefined;
    const hash = defaultHash(key.algorithm);
    const head = journal.head;
    const mechanism = session.signMechanism(AUDIT_KEY_LABEL, hash);
    const raw = await session.sign(AUDIT_KEY_LABEL, hash, checkpointMessage(head));
    const signature = key.algorithm.type === 'EC' ? ecdsaRawToDer(raw) : raw;
    const data = {
      token,
      auditKey: { label: AUDIT_KEY_LABEL, spkiSha256: key.fingerprint.sha256 },
      signed: { seq: head.seq, hash: head.hash },
      hash,
      mechanism: describeSignMechanism(mechanism, hash),
      signature: signature.toString('base64'),
    } satisfies CheckpointData;
    // Nothing was appended while the token signed: the head signed is still the last record.
    if (journal.head.seq !== head.seq) return undefined;
    return journal.append({ step, event: CHECKPOINT_EVENT, who: [], data } satisfies JournalIntent);
  };
}
