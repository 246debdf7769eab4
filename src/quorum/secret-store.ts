// The one place secrets live while a ceremony runs (DESIGN.md, principle 3). It holds the
// shares being collected for an unlock, and named secrets (a rebuilt credential secret),
// all as Buffers that are wiped when they are no longer needed. Nothing else keeps a copy:
// callers borrow a secret or a PIN for the length of one callback.
//
// What it shows of itself (inspect, toString, JSON) is names and counts, never a value.
import { inspect } from 'node:util';
import { KeyceremonyError } from '../errors.js';
import { combineChecked, tooFewSharesError } from './combine.js';
import { describeSet, type ShareSetManifest } from './manifest.js';
import { derivePin, type PinAlphabet } from './pin.js';
import { checkShare, type ShareIdentity } from './read-share.js';
import { copySecret, wipe } from './secret-buffer.js';
import { ShareError } from './share-error.js';

interface CollectedShare extends ShareIdentity {
  payload: Buffer;
  /** Who typed it (a participant id), when the caller said. */
  enteredBy: string | undefined;
}

interface Collection {
  setId: string;
  verifier: string;
  shares: CollectedShare[];
}

export interface CollectionStatus {
  setId: string;
  shares: ShareIdentity[];
  threshold: number;
  /** How many more shares are needed before combine() can succeed. */
  needed: number;
}

function storeError(message: string, code: string, hint: string): KeyceremonyError {
  return new KeyceremonyError(message, { hint, code });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Runs `fn(buffer)` and wipes `buffer` when fn returns or, if it returns a promise, settles. */
function lend<T>(buffer: Buffer, fn: (buffer: Buffer) => T): T {
  let result: T;
  try {
    result = fn(buffer);
  } catch (error) {
    wipe(buffer);
    throw error;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).finally(() => wipe(buffer)) as T;
  }
  wipe(buffer);
  return result;
}

export class SecretStore {
  readonly #secrets = new Map<string, Buffer>();
  readonly #collections = new Map<string, Collection>();

  /**
   * Checks one typed share against the manifest (readShare's checks) and keeps it in
   * `collection`. Refuses at once a share of another set than the collection's, a share
   * already entered, and a share entered by someone other than its custodian (`who`).
   */
  addShare(collection: string, text: string, manifest: ShareSetManifest, who?: string): ShareIdentity {
    const existing = this.#collections.get(collection);
    if (existing !== undefined && (existing.setId !== manifest.setId || existing.verifier !== manifest.verifier)) {
      throw storeError(
        `collection "${collection}" holds shares of set ${existing.setId}, not of ${describeSet(manifest)}`,
        'store.collection-set',
        'discard the collection before collecting shares of another set',
      );
    }
    const share = checkShare(text, manifest, { who });
    const earlier = existing?.shares.find((s) => s.index === share.index);
    if (earlier !== undefined) {
      wipe(share.payload);
      const by = earlier.enteredBy === undefined ? '' : ` by ${earlier.enteredBy}`;
      throw new ShareError('duplicate', `share ${share.index} (${share.custodian}) of ${describeSet(manifest)} was already entered${by}`, {
        hint: 'each share counts once; another custodian must enter their share',
        facts: { index: share.index, holder: share.custodian },
      });
    }
    const target = existing ?? { setId: manifest.setId, verifier: manifest.verifier, shares: [] };
    target.shares.push({ index: share.index, custodian: share.custodian, payload: share.payload, enteredBy: who });
    this.#collections.set(collection, target);
    return { index: share.index, custodian: share.custodian };
  }

  /** The shares entered so far in `collection` (none if it does not exist). */
  shares(collection: string): ShareIdentity[] {
    return (this.#collections.get(collection)?.shares ?? []).map(({ index, custodian }) => ({ index, custodian }));
  }

  status(collection: string, manifest: ShareSetManifest): CollectionStatus {
    const shares = this.shares(collection);
    return { setId: manifest.setId, shares, threshold: manifest.threshold, needed: Math.max(0, manifest.threshold - shares.length) };
  }

  /**
   * Rebuilds the secret from the collected shares and keeps it as `secretName` (by default
   * the collection's name), which it returns. The collection is wiped and removed when this
   * succeeds or when the result fails the verifier; with too few shares it stays, so more
   * can be added.
   */
  combine(collection: string, manifest: ShareSetManifest, secretName: string = collection): string {
    const found = this.#collections.get(collection);
    if (found === undefined) throw tooFewSharesError([], manifest);
    if (found.setId !== manifest.setId || found.verifier !== manifest.verifier) {
      throw storeError(
        `collection "${collection}" holds shares of set ${found.setId}, not of ${describeSet(manifest)}`,
        'store.collection-set',
        'combine with the manifest the shares were checked against',
      );
    }
    if (found.shares.length < manifest.threshold) throw tooFewSharesError(found.shares, manifest);
    try {
      this.putSecret(secretName, combineChecked(found.shares, manifest));
    } finally {
      this.discard(collection);
    }
    return secretName;
  }

  /**
   * Wipes and forgets one share of `collection`: for a share the store took but the
   * ceremony then refused (so the store never holds a share the journal does not record).
   */
  removeShare(collection: string, index: number): boolean {
    const found = this.#collections.get(collection);
    const at = found?.shares.findIndex((s) => s.index === index) ?? -1;
    if (!found || at < 0) return false;
    wipe(found.shares[at]!.payload);
    found.shares.splice(at, 1);
    return true;
  }

  /** Wipes and forgets the shares collected in `collection`. */
  discard(collection: string): void {
    this.#collections.get(collection)?.shares.forEach((s) => wipe(s.payload));
    this.#collections.delete(collection);
  }

  /**
   * Keeps a secret under `name`. The store takes it over: it keeps its own copy and wipes
   * `secret`. A secret already kept under `name` is wiped and replaced.
   */
  putSecret(name: string, secret: Buffer): void {
    const copy = copySecret(secret);
    wipe(secret);
    wipe(this.#secrets.get(name));
    this.#secrets.set(name, copy);
  }

  hasSecret(name: string): boolean {
    return this.#secrets.has(name);
  }

  /**
   * Lends a copy of secret `name` to `fn`; the copy is wiped when fn returns (or, for an
   * async fn, when its promise settles). fn must not keep the buffer.
   */
  withSecret<T>(name: string, fn: (secret: Buffer) => T): T {
    return lend(copySecret(this.#get(name)), fn);
  }

  /** Lends the HSM PIN derived from secret `name` (pin.ts) to `fn`, wiped afterwards. */
  withPin<T>(name: string, length: number, fn: (pin: Buffer) => T, alphabet?: PinAlphabet): T {
    return lend(derivePin(this.#get(name), length, alphabet), fn);
  }

  /** Wipes and forgets secret `name`; false if there was none. */
  deleteSecret(name: string): boolean {
    const secret = this.#secrets.get(name);
    wipe(secret);
    return this.#secrets.delete(name);
  }

  /** Wipes everything: every secret and every collection. */
  clear(): void {
    for (const name of [...this.#secrets.keys()]) this.deleteSecret(name);
    for (const name of [...this.#collections.keys()]) this.discard(name);
  }

  /** Names and counts only. */
  describe(): { secrets: string[]; collections: Record<string, number> } {
    const collections: Record<string, number> = {};
    for (const [name, c] of this.#collections) collections[name] = c.shares.length;
    return { secrets: [...this.#secrets.keys()], collections };
  }

  toJSON(): { secrets: string[]; collections: Record<string, number> } {
    return this.describe();
  }

  toString(): string {
    const { secrets, collections } = this.describe();
    const held = Object.entries(collections).map(([name, count]) => `${name}: ${count} ${count === 1 ? 'share' : 'shares'}`);
    return `SecretStore(secrets: [${secrets.join(', ')}], collections: [${held.join(', ')}])`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  #get(name: string): Buffer {
    const secret = this.#secrets.get(name);
    if (secret === undefined) {
      throw storeError(
        `no secret "${name}" in the secret store`,
        'store.no-secret',
        'a quorum must enter their shares first (an unlock step) before the secret is used',
      );
    }
    return secret;
  }
}
