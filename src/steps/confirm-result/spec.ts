// confirm-result: after a step made a key, a CSR, a certificate, a CRL or a share set, the
// witness confirms the result (issue 22 item 2). The fingerprint is read aloud from the
// screen; the witness types back at least 16 hex digits of it, which must be the result's.
// The journal then holds two different facts the report keeps apart: who approved the start
// of the step (its witnesses) and who confirmed its result (this step's performer).
import { z } from 'zod';
import type { CeremonyContext } from '../../ceremony/types.js';
import { typedHex } from '../shared/keys.js';
import { common, id } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('confirm-result'), of: id() });
export type ConfirmResultStep = z.infer<typeof schema>;

const MIN_HEX = 16;

/** What the step `of` made that the witness confirms: its key's SPKI fingerprint, else its first file's SHA-256. */
export function resultToConfirm(of: string, context: CeremonyContext): { what: 'key' | 'file'; name: string; sha256: string } | undefined {
  const result = context.results[of];
  const key = result?.keys?.[0];
  if (key) return { what: 'key', name: key.label, sha256: key.spkiSha256 };
  const file = result?.outputs?.[0];
  if (file) return { what: 'file', name: file.name, sha256: file.sha256 };
  return undefined;
}

export const confirmResultSpec = {
  type: 'confirm-result',
  schema,
  sensitive: false,
  title: { en: 'Witness confirms the result', 'zh-TW': '見證人確認結果' },
  check: (step, scan) => {
    if (!scan.confirmable.has(step.of))
      scan.problem(scan.at('of'), `"${step.of}" is not an earlier step that makes a key, a CSR, a certificate, a CRL or a share set`);
  },
  shown: (step, context) => ({ 'result-sha256': resultToConfirm(step.of, context)?.sha256 }),
  checkSubmission: (step, submission, context) => {
    const result = resultToConfirm(step.of, context);
    const typed = typedHex(submission.values['result-sha256']);
    if (result === undefined) return refusal(step.id, 'confirm.noResult', `step ${step.id}: step ${step.of} has no result to confirm`);
    if (typed.length < MIN_HEX || !result.sha256.startsWith(typed)) {
      return refusal(
        step.id,
        'confirm.fingerprint',
        `step ${step.id}: the fingerprint typed back is not that of ${result.name} made by step ${step.of} (at least ${MIN_HEX} hex digits)`,
      );
    }
    return undefined;
  },
  result: (step, _submission, context) => {
    const result = resultToConfirm(step.of, context)!;
    return { details: { of: step.of, what: result.what, name: result.name, sha256: result.sha256 } };
  },
  scriptRows: (step, { t, stepRef }) => [[t.confirmsResultOf, stepRef(step.of)]],
} satisfies StepSpec<ConfirmResultStep>;
