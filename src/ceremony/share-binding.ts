// A share set is bound to the credential it opens. Without a binding, anyone could bring
// their own manifest for a credential name, with their own shares: every check on the
// shares passes (they are a real set), and the wrong PIN reaches the token, costing a
// login try. Two bindings exist:
//
// - the definition pins the manifest file's SHA-256 (`inputs: <name>: { kind:
//   share-manifest, sha256: … }`): the strong one, since the definition is reviewed and its
//   hash is in the journal;
// - the token itself records, in a public, non-modifiable data object (application
//   "keyceremony", label "share set <credential>"), the set id and the manifest's SHA-256,
//   written when the credential is set (init-token, split-credential, rotate-credential) and
//   read before anyone types a share. The object is written with CKA_DESTROYABLE false:
//   nobody, with a PIN or without, can remove it (a token that enforces it, as SoftHSM 2.6.1
//   does). A public object can still be added by anyone who can open a read-write session,
//   so the records of one credential must form one chain: exactly one first record, and
//   each later one (a rotation, which cannot remove the record before it) carries the key
//   that the record before it committed to (`successorCheck` = SHA-256 of the key), an HMAC
//   of the old set's secret that only its quorum can compute. A second first record, a
//   record whose key does not match, or two records after the same one is refused, naming
//   them: a denial of service, never a wrong PIN at the token. Records written before the
//   chain (version 1) are destroyable: still read, alone, and replaced at the next
//   rotation; until then (and on tokens without CKA_DESTROYABLE) only the pin holds.
//
// A manifest that the definition does not pin and the token does not record is refused,
// unless this ceremony made it (a token without data objects, HSM.md).
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { Definition } from '../definition/definition.js';
import type { Hsm, HsmSession } from '../hsm/hsm.js';
import type { HsmProfile } from '../hsm/profile.js';
import { canonicalJson } from '../journal/canonical-json.js';
import { inputFileName } from './inputs.js';
import type { ShareSetRecord } from './types.js';

export const BINDING_APPLICATION = 'keyceremony';
export const BINDING_FORMAT = 'keyceremony-share-set-binding';

export const bindingLabel = (credential: string) => `share set ${credential}`;

export interface ShareSetBinding {
  format: typeof BINDING_FORMAT;
  /** 1: written before the chain (destroyable, no successorCheck); 2: a link of the chain. */
  version: 1 | 2;
  credential: string;
  setId: string;
  manifestSha256: string;
  successorCheck?: string;
  replaces?: { setId: string; successorKey: string };
}

/** The key that lets the next set's record follow this one: only the holder of `secret` can compute it, and it says nothing of the secret. */
function successorKey(secret: Buffer, credential: string, setId: string): string {
  return createHmac('sha256', secret).update(`keyceremony share-set successor\n${credential}\n${setId}`).digest('hex');
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'hex').digest('hex');

/**
 * Records on the token which share set now opens `credential`. `secret` is the new set's
 * secret; `previousSecret` the secret of the set it replaces (rotation), which signs the
 * new record onto the chain. Earlier records that can be destroyed (version 1) are.
 */
export function bindShareSet(
  session: HsmSession,
  credential: string,
  set: { setId: string; manifestSha256: string; secret: Buffer; previousSecret?: Buffer },
): void {
  const previous = set.previousSecret ? chainEnd(session, credential) : undefined;
  const binding: ShareSetBinding = {
    format: BINDING_FORMAT,
    version: 2,
    credential,
    setId: set.setId,
    manifestSha256: set.manifestSha256,
    successorCheck: sha256Hex(successorKey(set.secret, credential, set.setId)),
    ...(previous?.version === 2 && set.previousSecret
      ? { replaces: { setId: previous.setId, successorKey: successorKey(set.previousSecret, credential, previous.setId) } }
      : {}),
  };
  session.replacePublicData(BINDING_APPLICATION, bindingLabel(credential), Buffer.from(canonicalJson(binding), 'utf8'));
}

/**
 * The record a rotation follows. The run checked the chain before anyone typed a share; a
 * record added since must not make the rotation fail after C_SetPIN (the new set would be
 * lost with its PIN), so the new record is written as a first one: readers then refuse the
 * token, naming both, and the new manifest still exists.
 */
function chainEnd(session: HsmSession, credential: string): ShareSetBinding | undefined {
  try {
    return currentBinding(session, credential);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

// The two record versions as keyceremony writes them: version 2 links to the set it replaces
// and carries the check a successor must pass; version 1 came before the chain.
const replacesSchema = z.object({ setId: z.string(), successorKey: z.string() });
const bindingSchema = z.discriminatedUnion('version', [
  z.object({
    format: z.literal(BINDING_FORMAT),
    version: z.literal(1),
    credential: z.string(),
    setId: z.string(),
    manifestSha256: z.string(),
    successorCheck: z.string().optional(),
    replaces: replacesSchema.optional(),
  }),
  z.object({
    format: z.literal(BINDING_FORMAT),
    version: z.literal(2),
    credential: z.string(),
    setId: z.string(),
    manifestSha256: z.string(),
    successorCheck: z.string(),
    replaces: replacesSchema.optional(),
  }),
]);

function parseBinding(value: Buffer): ShareSetBinding | undefined {
  try {
    const parsed = bindingSchema.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const describe = (b: ShareSetBinding) => `set ${b.setId} (manifest SHA-256 ${b.manifestSha256})`;

function refuseRecords(token: string, credential: string, what: string): never {
  throw new InputError(`${token} holds records of the share set of ${credential} that no ceremony wrote: ${what}`, {
    hint: 'no share is entered and nothing reaches the token; someone added a record without a PIN. Compare them with `pkcs11-tool --list-objects --type data`, bring the definition with the manifest SHA-256 pinned, and have the token checked',
    code: 'share-set.binding-ambiguous',
  });
}

/**
 * The record that says which set opens `credential` now: the end of the one chain of
 * records, or the single version 1 record; undefined when there is none. Anything else is
 * refused, naming the records.
 */
export function currentBinding(session: HsmSession, credential: string): ShareSetBinding | undefined {
  const token = `token "${session.token.label}"`;
  const values = session.readPublicData(BINDING_APPLICATION, bindingLabel(credential));
  const bindings = values.map(parseBinding);
  const records = bindings.filter((b): b is ShareSetBinding => b !== undefined && b.credential === credential);
  if (records.length !== bindings.length) {
    throw new InputError(`${token} holds a record of the share set of ${credential} that keyceremony cannot read`, {
      hint: 'no share is entered; find out who wrote it',
      code: 'share-set.binding-unreadable',
    });
  }
  if (records.length <= 1) return records[0];
  if (records.some((b) => b.version === 1))
    refuseRecords(token, credential, `${records.length} records, ${records.map(describe).join(', ')}, where a ceremony leaves one`);
  const firsts = records.filter((b) => !b.replaces);
  if (firsts.length !== 1) refuseRecords(token, credential, `${firsts.length} first records, ${firsts.map(describe).join(', ')}, where a chain has one`);
  let current = firsts[0]!;
  const seen = new Set<ShareSetBinding>([current]);
  for (;;) {
    const from = current;
    const next = records.filter((b) => b.replaces?.setId === from.setId);
    if (next.length > 1) refuseRecords(token, credential, `${next.length} records after ${describe(from)}: ${next.map(describe).join(', ')}`);
    if (next.length === 0) break;
    const link = next[0]!;
    if (seen.has(link)) refuseRecords(token, credential, `${describe(link)} follows itself`);
    if (sha256Hex(link.replaces!.successorKey) !== from.successorCheck)
      refuseRecords(token, credential, `${describe(link)} claims to follow ${describe(from)} without the key of that set`);
    current = link;
    seen.add(current);
  }
  const stray = records.filter((b) => !seen.has(b));
  if (stray.length > 0) refuseRecords(token, credential, `${stray.map(describe).join(', ')} outside the chain that ends at ${describe(current)}`);
  return current;
}

/** The SHA-256 the definition pins for the input that brought this share set, if any. */
function pinnedInput(definition: Definition, record: ShareSetRecord): { name: string; sha256: string } | undefined {
  for (const [name, input] of Object.entries(definition.inputs)) {
    if (input.kind === 'share-manifest' && record.file === `inputs/${inputFileName(name)}` && input.sha256) return { name, sha256: input.sha256 };
  }
  return undefined;
}

/**
 * Refuses a share set brought to the ceremony that is not bound to its credential: before
 * any share of it is typed and before any C_Login. `session` is a public session (no login)
 * on the credential's token.
 */
export function checkShareSetBound(definition: Definition, session: HsmSession, record: ShareSetRecord): void {
  const { credential } = record;
  const token = `token "${session.token.label}"`;
  const manifest = `the share-set manifest ${record.file} of ${credential} (set ${record.setId}, SHA-256 ${record.sha256 ?? 'not recorded'})`;
  const pinned = pinnedInput(definition, record);
  if (pinned && pinned.sha256 !== record.sha256) {
    throw new InputError(`${manifest} is not the one the definition pins (inputs.${pinned.name}.sha256 ${pinned.sha256})`, {
      hint: 'bring the manifest the definition names',
      code: 'share-set.not-bound',
    });
  }
  const binding = currentBinding(session, credential);
  if (binding && (binding.setId !== record.setId || binding.manifestSha256 !== record.sha256)) {
    throw new InputError(
      `${manifest} is not the share set of ${credential} on ${token}, which records set ${binding.setId} (manifest SHA-256 ${binding.manifestSha256})`,
      {
        hint: 'no share is entered and nothing reaches the token; bring the manifest of the current set (an older set stops working when the credential is rotated)',
        code: 'share-set.not-bound',
      },
    );
  }
  // A set this ceremony made itself (outputs/, journaled when it was made) is bound by this
  // journal: on a token without data objects (NSS softoken) it is the only record there is.
  const madeHere = record.file.startsWith('outputs/');
  if (!binding && !pinned && !madeHere) {
    throw new InputError(
      `${manifest} is not bound to ${credential}: ${token} records no share set for it, and the definition does not pin the manifest's SHA-256`,
      {
        hint: `pin it in the definition (inputs.<name>: { kind: share-manifest, credential: ${credential}, sha256: … }) after checking the hash against the record of the ceremony that made the set`,
        code: 'share-set.unbound',
      },
    );
  }
}

/**
 * A key-encryption key's share set is bound to no token (issue 18): a manifest brought to the
 * ceremony must be the one the definition pins, or a stranger's KEK could wrap new backups.
 * (Restoring is safe either way: the backup file names its KEK set and verifier under its MAC.)
 */
function checkKekSetPinned(definition: Definition, record: ShareSetRecord): void {
  if (!record.file.startsWith('inputs/')) return; // made by this ceremony's create-kek
  const pinned = pinnedInput(definition, record);
  const manifest = `the share-set manifest ${record.file} of key-encryption key ${record.credential} (set ${record.setId}, SHA-256 ${record.sha256 ?? 'not recorded'})`;
  if (!pinned) {
    throw new InputError(`${manifest} is not pinned: a KEK set is bound to no token, so the definition must pin its manifest's SHA-256`, {
      hint: `pin it (inputs.<name>: { kind: share-manifest, credential: ${record.credential}, sha256: … }) after checking the hash against the record of the create-kek ceremony`,
      code: 'share-set.unbound',
    });
  }
  if (pinned.sha256 !== record.sha256) {
    throw new InputError(`${manifest} is not the one the definition pins (inputs.${pinned.name}.sha256 ${pinned.sha256})`, {
      hint: 'bring the manifest the definition names',
      code: 'share-set.not-bound',
    });
  }
}

/** Every share set the ceremony will take shares of, each against its token (public sessions, no login). */
export function checkShareSetsBound(definition: Definition, hsm: Hsm, tokens: HsmProfile['tokens'], shareSets: Record<string, ShareSetRecord>): void {
  for (const record of Object.values(shareSets)) {
    if (definition.credentials[record.credential]?.kek === true) {
      checkKekSetPinned(definition, record);
      continue;
    }
    const ref = tokens[definition.credentials[record.credential]?.token ?? ''];
    if (!ref) continue; // a token the profile lacks is refused on its own
    const session = hsm.openSession(ref.label, ref.serial);
    try {
      checkShareSetBound(definition, session, record);
    } finally {
      session.close();
    }
  }
}
