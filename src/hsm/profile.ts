// The HSM profile: everything that differs between a rehearsal and the real ceremony.
// The ceremony definition names tokens by role ("hca", "root"); the profile says which
// PKCS#11 module and which token label (optionally serial) each name is on this site.
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { sha256 } from '../util/fingerprint.js';
import { loadStrictYaml, validateYaml, YamlSource } from '../util/strict-yaml.js';

export const TOKEN_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const tokenLabel = z
  .string({ error: 'must be a token label (text)' })
  .min(1, { error: 'must not be empty' })
  .refine((label) => Buffer.byteLength(label, 'utf8') <= 32, { error: 'must be at most 32 bytes (a PKCS#11 token label)' });

export const hsmProfileSchema = z.strictObject({
  description: z.string().optional(),
  module: z.string({ error: 'must be the path of a PKCS#11 module (.so)' }).min(1),
  /** When given, the module file must have exactly this SHA-256, or nothing loads it. */
  moduleSha256: z
    .string({ error: 'must be the SHA-256 of the module file as 64 lower-case hex digits, in quotes' })
    .regex(/^[0-9a-f]{64}$/, { error: 'must be the SHA-256 of the module file as 64 lower-case hex digits' })
    .optional(),
  dryRun: z.boolean({ error: 'must be true or false (true only for rehearsal tokens)' }),
  tokens: z.record(
    z.string().regex(TOKEN_NAME, { error: 'token names are lower case letters, digits and dashes' }),
    z.strictObject({
      label: tokenLabel,
      serial: z.string().max(16, { error: 'must be at most 16 characters (a PKCS#11 serial number)' }).optional(),
    }),
  ),
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
  hint: 'an HSM profile has module, dryRun and tokens (name: {label, serial}); see ceremonies/profiles/softhsm-dry-run.yaml',
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
