// Record 1 of a ceremony's journal, `ceremony.opened`: what the ceremony was set up with.
// `run` writes it; `resume` reads it back and checks every file of the workdir, the PKCS#11
// module and the tokens against it before anything touches the HSM. The schema below is
// what resume relies on; the header holds more (tool, Node, OS, token details) for the report.
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { JournalRecord } from '../journal/record.js';
import type { ProcessFacts } from './process-hygiene.js';
import type { FileRecord, ShareSetRecord } from './types.js';

export const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const fileRecord = z.looseObject({ name: z.string(), kind: z.string(), sha256, words: z.string(), bytes: z.number(), step: z.string() });
export const shareSetRecord = z.looseObject({ credential: z.string(), setId: z.string(), threshold: z.number(), count: z.number(), custodians: z.array(z.string()), file: z.string(), sha256: sha256.optional() });

export const headerSchema = z.looseObject({
  ceremony: z.string(),
  definition: z.looseObject({ sha256, file: z.string() }),
  hsm: z.looseObject({
    module: z.looseObject({ path: z.string(), sha256 }),
    profile: z.looseObject({ file: z.string(), sha256, dryRun: z.boolean() }),
    tokens: z.record(z.string(), z.looseObject({ label: z.string(), serial: z.string().optional() })),
  }),
  inputs: z.record(z.string(), fileRecord).default({}),
  shareSets: z.record(z.string(), shareSetRecord).default({}),
  profiles: z.record(z.string(), z.looseObject({ file: z.string(), sha256 })).default({}),
});

export interface JournalHeader {
  ceremony: string;
  definition: { sha256: string; file: string };
  hsm: {
    module: { path: string; sha256: string } & Record<string, unknown>;
    profile: { file: string; sha256: string; dryRun: boolean } & Record<string, unknown>;
    tokens: Record<string, { label: string; serial?: string | undefined } & Record<string, unknown>>;
  };
  inputs: Record<string, FileRecord>;
  shareSets: Record<string, ShareSetRecord>;
  profiles: Record<string, { file: string; sha256: string }>;
  process?: ProcessFacts;
}

/** The header of a verified journal, as resume needs it; refused if it lacks what resume checks. */
export function readHeader(record: JournalRecord, journalFile: string): JournalHeader {
  const parsed = headerSchema.safeParse(record.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${journalFile}: the header (record 1) has no usable ${issue.path.join('.')}: it was written by an older keyceremony, which did not record what resume now checks`, {
      hint: 'finish the ceremony with the keyceremony version that started it, or run it again in a new workdir',
      code: 'resume.header',
    });
  }
  return parsed.data as unknown as JournalHeader;
}
