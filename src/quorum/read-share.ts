// One share against its set's manifest: well formed, of this set, an index the set has,
// the very share the manifest committed to, and (when we know who typed it) its holder's.
import { decodeEnvelope } from './envelope.js';
import { commitmentMatches, custodianOf, describeSet, sameCustodianName, type ShareSetManifest } from './manifest.js';
import { wipe } from './secret-buffer.js';
import { ShareError, shareName, type ShareRef } from './share-error.js';

/** Who a share belongs to. */
export interface ShareIdentity {
  index: number;
  custodian: string;
}

/** A share that passed every check of its own; `payload` is secret and must be wiped. */
export interface CheckedShare extends ShareIdentity {
  payload: Buffer;
}

export function checkShare(text: string, manifest: ShareSetManifest, ref: ShareRef = {}): CheckedShare {
  const share = decodeEnvelope(text, ref);
  try {
    if (share.setId !== manifest.setId) {
      // Its index means nothing in this set, so no custodian of this set is named.
      throw new ShareError('foreign-set', `${shareName(ref, share.index, undefined)} is from share set ${share.setId}, not from ${describeSet(manifest)}`, {
        hint: `it belongs to another credential or to an older, rotated set; use the share issued for set ${manifest.setId}`,
        facts: { setId: share.setId, expectedSet: manifest.setId },
      });
    }
    const custodian = custodianOf(manifest, share.index);
    const name = shareName(ref, share.index, custodian);
    if (custodian === undefined) {
      throw new ShareError('index', `${name} is not in ${describeSet(manifest)}, which has shares 1 to ${manifest.count}`, {
        hint: 'the share or the manifest was altered; report it to the security officer',
        facts: { index: share.index, setId: manifest.setId, count: manifest.count },
      });
    }
    if (!commitmentMatches(manifest, share.index, share.body)) {
      throw new ShareError('commitment', `${name} does not match the manifest's commitment for share ${share.index} of ${describeSet(manifest)}`, {
        hint: `this is not the share issued to ${custodian}, or the manifest was altered; compare the manifest's fingerprint with the journal and report it`,
        facts: { index: share.index, holder: custodian },
      });
    }
    if (ref.who !== undefined && !sameCustodianName(ref.who, custodian)) {
      throw new ShareError('custodian', `${ref.who} entered share ${share.index} of ${describeSet(manifest)}, which belongs to ${custodian}`, {
        hint: `each custodian enters only their own share; ${custodian} must enter share ${share.index}`,
        facts: { index: share.index, holder: custodian },
      });
    }
    return { index: share.index, custodian, payload: share.payload };
  } catch (error) {
    wipe(share.payload);
    throw error;
  } finally {
    wipe(share.body);
  }
}

/**
 * Checks one typed share against the manifest and says whose it is. `who` is the
 * participant id of the person entering it: a share entered by someone other than its
 * custodian is refused. Throws a ShareError that names the share, the group or the
 * custodian, never the share's text.
 */
export function readShare(text: string, manifest: ShareSetManifest, who?: string): ShareIdentity {
  const { index, custodian, payload } = checkShare(text, manifest, { who });
  wipe(payload);
  return { index, custodian };
}
