// Rebuilding a secret from a quorum. secrets.js-grempe returns *some* secret for any input,
// so nothing is handed on unless every share checked out on its own (read-share.ts), no
// index came twice, there are at least `threshold` of them, and the result matches the
// manifest's verifier. All of this happens before anything is sent to an HSM.
import { describeSet, verifierMatches, type ShareSetManifest } from './manifest.js';
import { checkShare, type CheckedShare, type ShareIdentity } from './read-share.js';
import { wipe } from './secret-buffer.js';
import { ShareError, listWords, ordinal, plural } from './share-error.js';
import { shamirCombine } from './shamir.js';

export function tooFewSharesError(entered: readonly ShareIdentity[], manifest: ShareSetManifest): ShareError {
  const have = entered.length === 0 ? 'no shares' : `only ${plural(entered.length, 'share')}`;
  const which = entered.length === 0 ? '' : ` (${listWords(entered.map((s) => `share ${s.index} from ${s.custodian}`))})`;
  const others = manifest.shares.filter((s) => !entered.some((e) => e.index === s.index)).map((s) => s.custodian);
  const more = manifest.threshold - entered.length;
  return new ShareError('too-few', `${have} of ${describeSet(manifest)} given${which}, ${manifest.threshold} are needed`, {
    hint: `${more} more of ${listWords(others)} must enter their share`,
    facts: { have: entered.length, need: manifest.threshold },
  });
}

function duplicateIndexError(share: ShareIdentity, firstPosition: number, position: number): ShareError {
  return new ShareError(
    'duplicate',
    `share ${share.index} (${share.custodian}) is given twice, as the ${ordinal(firstPosition)} and the ${ordinal(position)} share`,
    {
      hint: 'each share counts once; another custodian must enter their share',
      facts: { index: share.index, holder: share.custodian },
    },
  );
}

/**
 * Rebuilds the secret from shares that passed checkShare(). Returns a secret Buffer the
 * caller must wipe; throws a ShareError for a duplicate, too few shares or a wrong result.
 */
export function combineChecked(shares: readonly CheckedShare[], manifest: ShareSetManifest): Buffer {
  const seen = new Map<number, number>();
  shares.forEach((share, i) => {
    const first = seen.get(share.index);
    if (first !== undefined) throw duplicateIndexError(share, first, i + 1);
    seen.set(share.index, i + 1);
  });
  if (shares.length < manifest.threshold) throw tooFewSharesError(shares, manifest);
  const secret = shamirCombine(shares.map((s) => s.payload));
  if (!verifierMatches(manifest, secret)) {
    wipe(secret);
    throw new ShareError(
      'verifier',
      `the shares ${listWords(shares.map((s) => s.index))} of ${describeSet(manifest)} rebuild a secret that does not match the manifest's verifier`,
      {
        hint: "every share matched its commitment, so the manifest is inconsistent or was altered; stop, compare the manifest's fingerprint with the journal, and do not try the PIN on the HSM",
      },
    );
  }
  return secret;
}

/**
 * Rebuilds a secret from typed shares. Each refusal is its own ShareError (see
 * share-error.ts) naming the share by its place in `shareTexts` and its custodian.
 * Returns a secret Buffer: the caller must wipe it (or hand it to a SecretStore).
 */
export function combine(shareTexts: readonly string[], manifest: ShareSetManifest): Buffer {
  const checked: CheckedShare[] = [];
  try {
    shareTexts.forEach((text, i) => {
      const share = checkShare(text, manifest, { position: i + 1 });
      const first = checked.findIndex((s) => s.index === share.index);
      if (first !== -1) {
        wipe(share.payload);
        throw duplicateIndexError(share, first + 1, i + 1);
      }
      checked.push(share);
    });
    return combineChecked(checked, manifest);
  } finally {
    checked.forEach((s) => wipe(s.payload));
  }
}
