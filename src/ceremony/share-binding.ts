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
//   read before anyone types a share. A public object can be created by anyone who can open
//   a session on the token, so two objects for one credential are refused, not chosen from.
//
// A manifest that the definition does not pin and the token does not record is refused.
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
  version: 1;
  credential: string;
  setId: string;
  manifestSha256: string;
}

/** Records on the token which share set opens `credential` (replacing any earlier record). */
export function bindShareSet(session: HsmSession, credential: string, setId: string, manifestSha256: string): void {
  const binding: ShareSetBinding = { format: BINDING_FORMAT, version: 1, credential, setId, manifestSha256 };
  session.replacePublicData(BINDING_APPLICATION, bindingLabel(credential), Buffer.from(canonicalJson(binding), 'utf8'));
}

function parseBinding(value: Buffer): ShareSetBinding | undefined {
  try {
    const parsed = JSON.parse(value.toString('utf8')) as Partial<ShareSetBinding>;
    return parsed.format === BINDING_FORMAT && typeof parsed.setId === 'string' && typeof parsed.manifestSha256 === 'string' ? (parsed as ShareSetBinding) : undefined;
  } catch {
    return undefined;
  }
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
    throw new InputError(`${manifest} is not the one the definition pins (inputs.${pinned.name}.sha256 ${pinned.sha256})`, { hint: 'bring the manifest the definition names', code: 'share-set.not-bound' });
  }
  const values = session.readPublicData(BINDING_APPLICATION, bindingLabel(credential));
  if (values.length > 1) {
    throw new InputError(`${token} holds ${values.length} records of the share set of ${credential}, where the ceremonies that set it write one: someone else added one`, {
      hint: 'no share is entered; compare them with `pkcs11-tool --list-objects --type data`, remove the one no ceremony journal records (vendor tools, recorded as an exception), and pin the manifest SHA-256 in the definition',
      code: 'share-set.binding-ambiguous',
    });
  }
  const binding = values[0] === undefined ? undefined : parseBinding(values[0]);
  if (values.length === 1 && !binding) {
    throw new InputError(`${token} holds a record of the share set of ${credential} that keyceremony cannot read`, { hint: 'no share is entered; find out who wrote it', code: 'share-set.binding-unreadable' });
  }
  if (binding && (binding.setId !== record.setId || binding.manifestSha256 !== record.sha256)) {
    throw new InputError(`${manifest} is not the share set of ${credential} on ${token}, which records set ${binding.setId} (manifest SHA-256 ${binding.manifestSha256})`, {
      hint: 'no share is entered and nothing reaches the token; bring the manifest of the current set (an older set stops working when the credential is rotated)',
      code: 'share-set.not-bound',
    });
  }
  if (!binding && !pinned) {
    throw new InputError(`${manifest} is not bound to ${credential}: ${token} records no share set for it, and the definition does not pin the manifest's SHA-256`, {
      hint: `pin it in the definition (inputs.<name>: { kind: share-manifest, credential: ${credential}, sha256: … }) after checking the hash against the record of the ceremony that made the set`,
      code: 'share-set.unbound',
    });
  }
}

/** Every share set the ceremony will take shares of, each against its token (public sessions, no login). */
export function checkShareSetsBound(definition: Definition, hsm: Hsm, tokens: HsmProfile['tokens'], shareSets: Record<string, ShareSetRecord>): void {
  for (const record of Object.values(shareSets)) {
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
