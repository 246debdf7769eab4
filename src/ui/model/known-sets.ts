// The share sets a typed share may belong to, besides the one a step asks for: the sets of
// this ceremony in use now, the sets a step of this ceremony replaced, and the set the
// expected set's own manifest says it replaces (a rotation in an earlier ceremony: an old card
// brought to this one). A card of a replaced set opens nothing any more, and the refusal says
// so, so that its custodian knows to destroy it rather than look for a mistake (review of
// issue 16, M7).
import type { CeremonyContext } from '../../ceremony/types.js';

export interface KnownSet {
  setId: string;
  credential: string;
  /** A rotation replaced it: its PIN was changed, its cards open nothing. */
  superseded: boolean;
}

/** The set a step asks for, as its manifest names it: `replaces` is the set it rotated out. */
export interface ExpectedSet {
  credential: string;
  replaces?: string | undefined;
}

export function knownSets(context: Pick<CeremonyContext, 'shareSets' | 'results'>, expected?: ExpectedSet): KnownSet[] {
  const inUse = Object.values(context.shareSets).map((set) => ({ setId: set.setId, credential: set.credential, superseded: false }));
  // A step that replaced a set (rotate-credential, split-credential of a credential that had one) names it (details.replaces).
  const replaced = Object.values(context.results).flatMap((result) => {
    const replaces = result.details?.['replaces'];
    const credential = result.shareSets?.[0]?.credential;
    return typeof replaces === 'string' && credential !== undefined ? [{ setId: replaces, credential, superseded: true }] : [];
  });
  const before = expected?.replaces === undefined ? [] : [{ setId: expected.replaces, credential: expected.credential, superseded: true }];
  // One entry per set: a set this ceremony rotated out is also the one the new manifest replaces.
  const all = [...inUse, ...replaced, ...before];
  return all.filter((set, i) => all.findIndex((other) => other.setId === set.setId) === i);
}

/**
 * The one known set whose id is, or begins with, what the typed groups show of it (the four
 * characters of group 1, or all eight once group 2 is typed), or undefined when none or
 * several fit.
 */
export function setShownBy(sets: readonly KnownSet[], shown: string): KnownSet | undefined {
  const fits = sets.filter((set) => set.setId.startsWith(shown));
  return fits.length === 1 ? fits[0] : undefined;
}
