// The HSM profile: everything that differs between a rehearsal and the real ceremony.
// The ceremony definition names tokens by role ("hca", "root"); the profile says which
// PKCS#11 module and which token label (optionally serial) each name is on this site.
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { loadStrictYaml } from '../util/strict-yaml.js';

export const TOKEN_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const tokenLabel = z
  .string({ error: 'must be a token label (text)' })
  .min(1, { error: 'must not be empty' })
  .refine((label) => Buffer.byteLength(label, 'utf8') <= 32, { error: 'must be at most 32 bytes (a PKCS#11 token label)' });

export const hsmProfileSchema = z.strictObject({
  description: z.string().optional(),
  module: z.string({ error: 'must be the path of a PKCS#11 module (.so)' }).min(1),
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
}

export function loadHsmProfile(file: string): HsmProfile {
  const { value } = loadStrictYaml(file, {
    kind: 'HSM profile',
    schema: hsmProfileSchema,
    hint: 'an HSM profile has module, dryRun and tokens (name: {label, serial}); see ceremonies/profiles/softhsm-dry-run.yaml',
  });
  const modulePath = isAbsolute(value.module) ? value.module : resolve(dirname(file), value.module);
  return { ...value, file, modulePath };
}
