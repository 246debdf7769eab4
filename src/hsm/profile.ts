// The HSM profile: everything that differs between a rehearsal and the real ceremony.
// The ceremony definition names tokens by role ("hca", "root"); the profile says which
// PKCS#11 module and which token label (optionally serial) each name is on this site,
// how the module is initialised (initArgs), and what its tokens cannot do (capabilities),
// so that a ceremony the HSM cannot carry out is refused before it starts (HSM.md).
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { sha256 } from '../util/fingerprint.js';
import { controlCharacterProblem } from '../util/control-characters.js';
import { loadStrictYaml, validateYaml, YamlSource } from '../util/strict-yaml.js';
import { nssInitArgsProblem, NSS_SOFTOKEN } from './nss.js';
import { DECLARED_ALGORITHMS, declaredAlgorithm, type KeyAlgorithm } from '../util/key-algorithm.js';

export const TOKEN_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const tokenLabel = z
  .string({ error: 'must be a token label (text)' })
  .min(1, { error: 'must not be empty' })
  .refine((label) => Buffer.byteLength(label, 'utf8') <= 32, { error: 'must be at most 32 bytes (a PKCS#11 token label)' });

/**
 * What a module's tokens can do, where some cannot. Every capability is true unless the
 * profile says false; HSM.md says which modules need which.
 */
export const CAPABILITIES = {
  /** keyceremony may initialise a blank token (C_InitToken sets its label and SO PIN). */
  initToken: 'C_InitToken on a blank token sets the label and the SO PIN',
  /**
   * C_InitToken gives the blank token its label. False: the module's configuration gives each
   * blank token its label (NSS softoken's tokenDescription), init-token takes the blank token
   * that carries the profile's label, and the token counts as initialised only once its user
   * PIN is set (HSM.md).
   */
  initTokenLabel: 'C_InitToken gives the blank token its label',
  /** The token has an SO PIN that init-token sets and that an SO login uses. */
  soPin: 'an SO PIN that keyceremony sets and logs in with',
  /** Every token has its own serial number, so a serial can tell two tokens apart. */
  uniqueSerials: 'a serial number of its own on every token',
  /** Public data objects (CKO_DATA token objects): the share-set records of share-binding.ts. */
  dataObjects: 'public data objects (CKO_DATA) on the token',
  /** CKA_LOCAL is true on keys the token generated. */
  ckaLocal: 'CKA_LOCAL true on keys the token generated',
  /**
   * A generated session key copied into a token object stays always-sensitive, never
   * extractable and local, so the copy can take CKA_ID = SKI and CKA_MODIFIABLE false
   * (key-templates.ts). False: the pair is generated on the token and keeps CKA_MODIFIABLE
   * true, because its CKA_ID is set after generation.
   */
  keyCopy: 'a token copy of a generated session key keeps always-sensitive, never-extractable and local',
} as const;
export type Capability = keyof typeof CAPABILITIES;
export type TokenCapabilities = Record<Capability, boolean>;
export const ALL_CAPABLE: TokenCapabilities = {
  initToken: true,
  initTokenLabel: true,
  soPin: true,
  uniqueSerials: true,
  dataObjects: true,
  ckaLocal: true,
  keyCopy: true,
};

const capabilities = z.strictObject(
  Object.fromEntries(Object.keys(CAPABILITIES).map((name) => [name, z.boolean({ error: 'must be true or false' }).optional()])) as Record<
    Capability,
    z.ZodOptional<z.ZodBoolean>
  >,
);

/**
 * A parameter whose name says PIN or password. A PIN in the profile would be on disk, in the
 * workdir's copy and in the journal; keyceremony's PINs come only from a quorum of shares.
 */
const SECRET_PARAMETER = /((?:[A-Za-z_][\w.-]*)?(?:pin|passw|pwd|passphrase|secret)[\w.-]*)\s*[=:]/i;

const initArgs = z
  .string({ error: 'must be the C_Initialize library parameters (text, in quotes)' })
  .min(1, { error: 'must not be empty (leave initArgs out when the module takes none)' })
  .max(4096, { error: 'must be at most 4096 characters' })
  .superRefine((text, ctx) => {
    const control = controlCharacterProblem(text);
    if (control) ctx.addIssue({ code: 'custom', message: control });
    const secret = SECRET_PARAMETER.exec(text);
    if (secret) {
      ctx.addIssue({
        code: 'custom',
        message: `must not carry a PIN or password (parameter "${secret[1]}"): keyceremony's PINs come only from a quorum of shares, and the profile is copied into the workdir and the journal`,
      });
    }
  });

export const hsmProfileSchema = z
  .strictObject({
    description: z.string().optional(),
    module: z.string({ error: 'must be the path of a PKCS#11 module (.so)' }).min(1),
    /** When given, the module file must have exactly this SHA-256, or nothing loads it. */
    moduleSha256: z
      .string({ error: 'must be the SHA-256 of the module file as 64 lower-case hex digits, in quotes' })
      .regex(/^[0-9a-f]{64}$/, { error: 'must be the SHA-256 of the module file as 64 lower-case hex digits' })
      .optional(),
    /** C_Initialize's library parameters (pReserved), for modules that need them (NSS softoken). Never a PIN. */
    initArgs: initArgs.optional(),
    dryRun: z.boolean({ error: 'must be true or false (true only for rehearsal tokens)' }),
    /** What no token of this module can do; a token's own capabilities override these. */
    capabilities: capabilities.optional(),
    tokens: z.record(
      z.string().regex(TOKEN_NAME, { error: 'token names are lower case letters, digits and dashes' }),
      z.strictObject({
        label: tokenLabel,
        serial: z.string().max(16, { error: 'must be at most 16 characters (a PKCS#11 serial number)' }).optional(),
        capabilities: capabilities.optional(),
        /** The audit key init-token makes on this token (journal checkpoints); EC-P-384 unless given. */
        auditKey: z.enum(DECLARED_ALGORITHMS, { error: `must be one of ${DECLARED_ALGORITHMS.join(', ')}` }).optional(),
      }),
    ),
  })
  .superRefine((profile, ctx) => {
    for (const [name, token] of Object.entries(profile.tokens)) {
      const unique = token.capabilities?.uniqueSerials ?? profile.capabilities?.uniqueSerials ?? true;
      if (token.serial !== undefined && !unique) {
        ctx.addIssue({
          code: 'custom',
          path: ['tokens', name, 'serial'],
          message: 'cannot tell tokens apart: this module gives tokens no serial of their own (uniqueSerials: false); tokens are found by label only',
        });
      }
    }
    if (basename(profile.module) === NSS_SOFTOKEN) {
      const problem = nssInitArgsProblem(profile.initArgs);
      if (problem) ctx.addIssue({ code: 'custom', path: profile.initArgs === undefined ? [] : ['initArgs'], message: problem });
    }
  });

export type HsmProfileData = z.infer<typeof hsmProfileSchema>;

export interface HsmProfile extends HsmProfileData {
  /** The file it was read from, for messages. */
  file: string;
  /** The module path made absolute (relative paths are relative to the profile file). */
  modulePath: string;
  /** The text that was read and checked: the workdir's copy is written from it. */
  text: string;
  /** SHA-256 of that text as UTF-8 (the bytes of the copy). */
  sha256: string;
}

const PROFILE_SOURCE = {
  kind: 'HSM profile',
  schema: hsmProfileSchema,
  hint: 'an HSM profile has module, dryRun and tokens (name: {label, serial}), and optionally moduleSha256, initArgs and capabilities; see HSM.md',
};

export function loadHsmProfile(file: string): HsmProfile {
  const { source, value } = loadStrictYaml(file, PROFILE_SOURCE);
  return profileFrom(file, source.text, value);
}

/** A profile from text already read (resume hashes the workdir's copy, then parses the same text). */
export function parseHsmProfile(file: string, text: string): HsmProfile {
  return profileFrom(file, text, validateYaml(YamlSource.parse(file, text, PROFILE_SOURCE.kind), PROFILE_SOURCE));
}

function profileFrom(file: string, text: string, value: HsmProfileData): HsmProfile {
  const modulePath = isAbsolute(value.module) ? value.module : resolve(dirname(file), value.module);
  return { ...value, file, modulePath, text, sha256: sha256(text).toString('hex') };
}

/** The algorithm of the audit key init-token makes on the token of this name: EC P-384 unless the profile says otherwise. */
export function auditKeyAlgorithm(profile: Pick<HsmProfileData, 'tokens'>, name: string): KeyAlgorithm {
  return declaredAlgorithm(profile.tokens[name]?.auditKey ?? 'EC-P-384');
}

/** What the token of this name can do: its own capabilities over the module's, over "everything". */
export function tokenCapabilities(profile: Pick<HsmProfileData, 'capabilities' | 'tokens'>, name: string): TokenCapabilities {
  return { ...ALL_CAPABLE, ...definedOnly(profile.capabilities), ...definedOnly(profile.tokens[name]?.capabilities) };
}

/** The capabilities of the profile's token with this label (the HSM layer knows tokens by label). */
export function capabilitiesByLabel(profile: Pick<HsmProfileData, 'capabilities' | 'tokens'>): (label: string) => TokenCapabilities {
  return (label) => {
    const name = Object.entries(profile.tokens).find(([, token]) => token.label === label)?.[0];
    return name === undefined ? { ...ALL_CAPABLE, ...definedOnly(profile.capabilities) } : tokenCapabilities(profile, name);
  };
}

function definedOnly(values: Partial<Record<Capability, boolean | undefined>> | undefined): Partial<TokenCapabilities> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined));
}

/** How Pkcs11Hsm.open starts the profile's module: its initArgs, and what its tokens can do. */
export function moduleOptions(profile: Pick<HsmProfileData, 'initArgs' | 'capabilities' | 'tokens'>): {
  initArgs: string | undefined;
  capabilities: (label: string) => TokenCapabilities;
} {
  return { initArgs: profile.initArgs, capabilities: capabilitiesByLabel(profile) };
}
