// The smallest pieces of the definition schema (ids, bilingual text, key labels, names),
// shared by the top-level schema (schema.ts) and every step type's schema (src/steps/*/spec.ts).
// Pure zod: no step type lives here, so the step specs can import it without a cycle.
import { z } from 'zod';

export const ID = /^[a-z][a-z0-9-]{0,62}$/;
const idMessage = 'must be lower case letters, digits and dashes, starting with a letter';
export const id = () => z.string({ error: 'must be an id (text)' }).regex(ID, { error: idMessage });

/** Text an officer reads aloud, in both languages of the ceremony terminal. */
export const bilingual = z.strictObject(
  {
    en: z.string({ error: 'must be the English text' }).min(1, { error: 'must not be empty' }),
    'zh-TW': z.string({ error: 'must be the Traditional Chinese text' }).min(1, { error: 'must not be empty' }),
  },
  { error: 'must give the text in both languages: { en: …, zh-TW: … }' },
);
export type Bilingual = z.infer<typeof bilingual>;

export const keyLabel = z
  .string({ error: 'must be a key label (text)' })
  .min(1, { error: 'must not be empty' })
  .refine((label) => Buffer.byteLength(label, 'utf8') <= 64, { error: 'must be at most 64 bytes' });

/** An ordered distinguished name: the attributes in the order they appear in the map. */
export const subject = z.partialRecord(
  z.enum(['C', 'ST', 'L', 'O', 'OU', 'CN', 'serialNumber', 'organizationIdentifier'], {
    error: 'must be one of C, ST, L, O, OU, CN, serialNumber, organizationIdentifier',
  }),
  z.string({ error: 'must be text' }).min(1, { error: 'must not be empty' }),
);
