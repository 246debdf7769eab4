// Record 1 of a ceremony's journal, `ceremony.opened`: what the ceremony was set up with.
// `run` writes it; `resume` reads it back and checks every file of the workdir, the PKCS#11
// module and the tokens against it before anything touches the HSM. The schema below is
// what resume relies on; the header holds more (tool, Node, OS, token details) for the report.
import type { z } from 'zod';
import { headerSchema } from '../journal/events.js';
import { InputError } from '../errors.js';
import type { JournalRecord } from '../journal/record.js';
import type { ProcessFacts } from './process-hygiene.js';
import type { FileRecord, ShareSetRecord } from './types.js';

// The header's schema is the `ceremony.opened` event's, with the records it holds.
export { fileRecord, headerSchema, sha256, shareSetRecord } from '../journal/events.js';

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
  // reportInput: whether a fact is missing or of the wrong kind is told by the value zod found.
  const parsed = headerSchema.safeParse(record.data, { reportInput: true });
  if (!parsed.success) {
    throw new InputError(`${journalFile}: the header (record 1) ${headerProblem(parsed.error.issues[0]!)}`, {
      hint: 'finish the ceremony with the keyceremony version that started it, or run it again in a new workdir',
      code: 'resume.header',
    });
  }
  return parsed.data as unknown as JournalHeader;
}

/**
 * What is wrong with the header, as the first issue zod found says: a fact it lacks (an older
 * keyceremony did not record it), a key no keyceremony writes, or a fact of the wrong kind.
 */
function headerProblem(issue: z.core.$ZodIssue): string {
  const at = (path: readonly PropertyKey[]) => path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => at([...issue.path, key])).join(', ');
    return `has ${issue.keys.length === 1 ? 'a key' : 'keys'} that keyceremony does not write: ${keys}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return `has no usable ${at(issue.path)}: it was written by an older keyceremony, which did not record what resume now checks`;
  }
  return `has ${at(issue.path)} that is not what keyceremony writes: ${issue.message}`;
}
