// Rotation: a quorum of the old set proves the old secret, and a new secret is split for a
// new set of custodians (threshold and count may change). The caller changes the HSM PIN
// from derivePin(oldSecret) to derivePin(newSecret) and then retires the old shares; the
// new manifest names the old set in `replaces`, so the journal shows the lineage.
import { combine } from './combine.js';
import type { ShareSetManifest } from './manifest.js';
import { wipe } from './secret-buffer.js';
import { newSecret, split, type IssuedShare, type SplitOptions } from './split.js';

export interface RotateOptions {
  threshold: number;
  of: number;
  custodians: readonly string[];
  /** Defaults to the old set's label. */
  label?: string | undefined;
  now?: Date | undefined;
}

export interface Rotation {
  /** Secret Buffers: wipe both (or hand them to a SecretStore) once the PIN is changed. */
  oldSecret: Buffer;
  newSecret: Buffer;
  shares: IssuedShare[];
  manifest: ShareSetManifest;
  /** How many threshold subsets of the new shares were combined and checked. */
  quorumsChecked: number;
}

export function rotate(oldShareTexts: readonly string[], oldManifest: ShareSetManifest, o: RotateOptions): Rotation {
  const oldSecret = combine(oldShareTexts, oldManifest);
  const fresh = newSecret();
  try {
    const label = o.label ?? oldManifest.label;
    const options: SplitOptions = { ...o, label, replaces: oldManifest.setId };
    const { shares, manifest, quorumsChecked } = split(fresh, options);
    return { oldSecret, newSecret: fresh, shares, manifest, quorumsChecked };
  } catch (error) {
    wipe(oldSecret);
    wipe(fresh);
    throw error;
  }
}
