// Key algorithms as data: what the HSM makes, what the journal records and what the
// definition declares. Pure, so step specs, the definition and the UI may use it; display
// text is made only at the edge (UI, report, plan, progress lines) with describeAlgorithm.
import { z } from 'zod';

export type RsaBits = 2048 | 3072 | 4096;
export type Curve = 'P-256' | 'P-384' | 'P-521';
export type KeyAlgorithm = { type: 'RSA'; bits: RsaBits } | { type: 'EC'; curve: Curve };
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

export const RSA_BITS: readonly RsaBits[] = [2048, 3072, 4096];
export const CURVES: readonly Curve[] = ['P-256', 'P-384', 'P-521'];

/** The runtime schema of a KeyAlgorithm (journal verification, records read back). */
export const keyAlgorithmSchema: z.ZodType<KeyAlgorithm> = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('RSA'), bits: z.union([z.literal(2048), z.literal(3072), z.literal(4096)]) }),
  z.strictObject({ type: z.literal('EC'), curve: z.enum(['P-256', 'P-384', 'P-521']) }),
]);

/** Display text: `RSA-4096`, `EC P-384` (also in HSM error messages). */
export function describeAlgorithm(algorithm: KeyAlgorithm): string {
  return algorithm.type === 'RSA' ? `RSA-${algorithm.bits}` : `EC ${algorithm.curve}`;
}

/** How a plan and the generate-key screen say the key to make: `RSA 4096`, `EC P-384`. */
export function describeKeyToMake(algorithm: KeyAlgorithm): string {
  return algorithm.type === 'RSA' ? `RSA ${algorithm.bits}` : `EC ${algorithm.curve}`;
}

/** The names a definition declares an existing key's algorithm with (`keys.<label>.algorithm`). */
export const DECLARED_ALGORITHMS = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-P-256', 'EC-P-384', 'EC-P-521'] as const;
export type DeclaredAlgorithm = (typeof DECLARED_ALGORITHMS)[number];

const DECLARED: Record<DeclaredAlgorithm, KeyAlgorithm> = {
  'RSA-2048': { type: 'RSA', bits: 2048 },
  'RSA-3072': { type: 'RSA', bits: 3072 },
  'RSA-4096': { type: 'RSA', bits: 4096 },
  'EC-P-256': { type: 'EC', curve: 'P-256' },
  'EC-P-384': { type: 'EC', curve: 'P-384' },
  'EC-P-521': { type: 'EC', curve: 'P-521' },
};

export function declaredAlgorithm(name: DeclaredAlgorithm): KeyAlgorithm {
  return DECLARED[name];
}

/** The definition's name of an algorithm (the inverse of declaredAlgorithm): `RSA-4096`, `EC-P-384`. */
export function declaredName(algorithm: KeyAlgorithm): DeclaredAlgorithm {
  return algorithm.type === 'RSA' ? `RSA-${algorithm.bits}` : `EC-${algorithm.curve}`;
}

/**
 * The algorithm of a generate-key step's `key` (`algorithm: RSA, bits: 4096` or `algorithm:
 * EC, curve: P-384`); the step schema has already refused other sizes and curves.
 */
export function keyAlgorithmOf(key: { algorithm: 'RSA' | 'EC'; bits?: number | undefined; curve?: string | undefined }): KeyAlgorithm {
  if (key.algorithm === 'RSA') {
    const bits = RSA_BITS.find((b) => b === key.bits);
    if (bits) return { type: 'RSA', bits };
  } else {
    const curve = CURVES.find((c) => c === key.curve);
    if (curve) return { type: 'EC', curve };
  }
  throw new Error(`key ${key.algorithm} ${key.bits ?? key.curve ?? ''} is not one the step schema allows`);
}

/** BR §7.1.3.2.2: each curve is paired with the hash of matching strength. */
export const CURVE_HASH: Record<Curve, HashName> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };

/** The hash to use when nobody says otherwise: SHA-256 for RSA, the curve's own for EC. */
export function defaultHash(algorithm: KeyAlgorithm): HashName {
  return algorithm.type === 'RSA' ? 'SHA-256' : CURVE_HASH[algorithm.curve];
}
