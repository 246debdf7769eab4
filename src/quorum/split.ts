// Making a share set: a random secret, M-of-N shares in envelopes, and the public manifest.
// split() checks its own output before handing it out (every envelope reads back, and every
// threshold subset of the shares rebuilds a secret the verifier accepts), so no custodian
// leaves with a share that cannot work together with any other quorum.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { base32crockford } from '@scure/base';
import { InputError, KeyceremonyError } from '../errors.js';
import { MAX_QUORUM_COMBINATIONS, tooManyQuorums } from '../util/quorum-shape.js';
import { SET_ID_BYTES, decodeEnvelope, encodeEnvelope, envelopeBody, expectedShareLength } from './envelope.js';
import { GROUP_LENGTH } from './group-check.js';
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  MAX_SHARES,
  custodianNameProblem,
  sameCustodianName,
  secretVerifier,
  shareCommitment,
  type ShareSetManifest,
} from './manifest.js';
import { asSecretBuffer, wipe } from './secret-buffer.js';
import { shamirCombine, shamirSplit } from './shamir.js';

/** Length of the secrets newSecret() makes: 256 bits. */
export const SECRET_BYTES = 32;
export const MIN_SECRET_BYTES = 16;
export const MAX_SECRET_BYTES = 64;

/** A new random secret (256 bits from Node's CSPRNG), as a secret Buffer. */
/**
 * How many groups a share of a `secretBytes` secret has (19 for 32 bytes), and the length of
 * the last (5, or fewer when the data ends short): what a blank share card leaves boxes for.
 * The payload is the share id byte and the secret with secrets.js-grempe's marker bit,
 * padded to whole bytes (docs/share-format.md: P = 34 for 32 bytes).
 */
export function shareShape(secretBytes: number = SECRET_BYTES): { groups: number; lastGroupLength: number } {
  const characters = expectedShareLength(1 + Math.ceil((secretBytes * 8 + 1) / 8));
  const groups = Math.ceil(characters / GROUP_LENGTH);
  return { groups, lastGroupLength: characters - (groups - 1) * GROUP_LENGTH };
}

export function newSecret(): Buffer {
  return asSecretBuffer(randomBytes(SECRET_BYTES));
}

export interface SplitOptions {
  threshold: number;
  of: number;
  /** Participant ids, one per share: custodians[0] holds share 1. */
  custodians: readonly string[];
  /** The credential's name, e.g. `hca-user-pin`. */
  label?: string | undefined;
  now?: Date | undefined;
  /** Set by rotate(): the id of the set this one replaces. */
  replaces?: string | undefined;
}

export interface IssuedShare {
  index: number;
  custodian: string;
  /**
   * The share as the custodian writes it down, groups joined by dashes. A getter over a
   * private field: inspecting, serialising or spreading an IssuedShare does not show or
   * copy it; read it by name.
   */
  readonly text: string;
}

export interface SplitResult {
  shares: IssuedShare[];
  manifest: ShareSetManifest;
  /** How many threshold subsets of the shares were combined and checked against the verifier. */
  quorumsChecked: number;
}

function invalid(message: string, hint: string): InputError {
  return new InputError(`cannot split the secret: ${message}`, { hint, code: 'split.invalid' });
}

function checkOptions(secret: Buffer, o: SplitOptions): void {
  if (!Buffer.isBuffer(secret) || secret.length < MIN_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
    throw invalid(`the secret must be ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes`, 'make the secret with newSecret()');
  }
  if (!Number.isInteger(o.of) || o.of < 2 || o.of > MAX_SHARES) {
    throw invalid(`the number of shares must be a whole number from 2 to ${MAX_SHARES}, not ${String(o.of)}`, 'set `of` to the number of custodians');
  }
  if (!Number.isInteger(o.threshold) || o.threshold < 2 || o.threshold > o.of) {
    throw invalid(
      `the threshold must be a whole number from 2 to ${o.of} (the number of shares), not ${String(o.threshold)}`,
      'one person alone must never be able to rebuild the secret',
    );
  }
  const tooMany = tooManyQuorums(o.threshold, o.of);
  if (tooMany !== undefined)
    throw invalid(tooMany, `choose a shape with at most ${MAX_QUORUM_COMBINATIONS.toLocaleString('en-US')} quorums, e.g. a smaller threshold or fewer shares`);
  if (o.custodians.length !== o.of) {
    throw invalid(`${o.of} shares need ${o.of} custodians, ${o.custodians.length} were named`, 'name one custodian per share');
  }
  o.custodians.forEach((name, i) => {
    const problem = custodianNameProblem(name);
    if (problem !== undefined) throw invalid(`custodian ${i + 1}'s name ${problem}`, 'use the participant id of the custodian');
    const first = o.custodians.findIndex((other) => sameCustodianName(other, name));
    if (first !== i)
      throw invalid(
        `custodian "${name}" is named for shares ${first + 1} and ${i + 1}`,
        'each custodian holds one share; name a different custodian for each share',
      );
  });
  if (o.label !== undefined && (o.label === '' || o.label.length > 64))
    throw invalid('the label must be 1 to 64 characters', 'use the credential name from the ceremony definition');
}

function sameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Keeps the text in a private field behind a getter: inspect and JSON show index and custodian only. */
class Issued implements IssuedShare {
  readonly #text: string;

  constructor(
    readonly index: number,
    readonly custodian: string,
    text: string,
  ) {
    this.#text = text;
  }

  get text(): string {
    return this.#text;
  }
}

export function split(secret: Buffer, o: SplitOptions): SplitResult {
  checkOptions(secret, o);
  const setId = base32crockford.encode(randomBytes(SET_ID_BYTES));
  if (setId === o.replaces) return split(secret, o); // a new set must not reuse the old set's id
  const payloads = shamirSplit(secret, o.of, o.threshold);
  try {
    const shares: IssuedShare[] = [];
    const manifestShares: ShareSetManifest['shares'] = [];
    payloads.forEach((payload, i) => {
      const index = i + 1;
      const custodian = o.custodians[i] as string;
      const fields = { setId, threshold: o.threshold, index, payload };
      const body = envelopeBody(fields);
      const text = encodeEnvelope(fields);
      manifestShares.push({ index, custodian, commitment: shareCommitment(body) });
      shares.push(new Issued(index, custodian, text));
      // Read the envelope back exactly as a custodian's typing would be read.
      const back = decodeEnvelope(text);
      const roundTrips = back.setId === setId && back.index === index && sameSecret(back.body, body);
      wipe(back.body);
      wipe(back.payload);
      wipe(body);
      if (!roundTrips) throw new Error(`share ${index} does not read back as written`);
    });
    const verifier = secretVerifier(setId, secret);
    const quorumsChecked = checkEveryQuorum(payloads, o.threshold, (rebuilt) => sameSecret(rebuilt, secret) && secretVerifier(setId, rebuilt) === verifier);
    const manifest: ShareSetManifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      setId,
      ...(o.label === undefined ? {} : { label: o.label }),
      createdAt: (o.now ?? new Date()).toISOString(),
      threshold: o.threshold,
      count: o.of,
      shares: manifestShares,
      verifier,
      ...(o.replaces === undefined ? {} : { replaces: o.replaces }),
    };
    return { shares, manifest, quorumsChecked };
  } finally {
    payloads.forEach(wipe);
  }
}

/** Each `size`-element subset of 0..n-1, as index lists in lexicographic order. */
export function* subsetsOf(n: number, size: number): Generator<number[]> {
  if (size < 1 || size > n) return;
  const pick = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    yield [...pick];
    let i = size - 1;
    while (i >= 0 && pick[i] === n - size + i) i--;
    if (i < 0) return;
    pick[i]! += 1;
    for (let j = i + 1; j < size; j++) pick[j] = pick[j - 1]! + 1;
  }
}

/**
 * Combines every `threshold` subset of the payloads in memory and asks `accepts` about each
 * rebuilt secret (wiped right after). Returns how many subsets were checked; throws, naming
 * the first subset by share numbers, when one is not accepted: then no share may be handed out.
 */
export function checkEveryQuorum(payloads: readonly Uint8Array[], threshold: number, accepts: (rebuilt: Buffer) => boolean): number {
  let checked = 0;
  for (const subset of subsetsOf(payloads.length, threshold)) {
    const rebuilt = shamirCombine(subset.map((i) => payloads[i]!));
    let ok: boolean;
    try {
      ok = accepts(rebuilt);
    } finally {
      wipe(rebuilt);
    }
    if (!ok) {
      throw new KeyceremonyError(`shares ${subset.map((i) => i + 1).join(', ')} do not rebuild the secret; no share of this set is handed out`, {
        code: 'split.quorum',
        hint: 'the new set was made wrong in memory (a hardware fault?): do not use this terminal for the ceremony; record an exception',
      });
    }
    checked++;
  }
  return checked;
}
