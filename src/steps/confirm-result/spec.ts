// confirm-result: after a step made a key, a CSR, a certificate, a CRL or a share set, the
// witness confirms the result (issue 22 item 2). The fingerprint was read aloud from the
// read-aloud screen after the step and written on the paper log; here the witness types the
// whole of it back from the paper log (or from an independent tool), and it must be the
// result's. The screen does not show it (issue 16): a value copied from just above the field
// would confirm nothing, and the record log's first 16 digits are on screen, so all 64 are asked.
// The journal then holds two different facts the report keeps apart: who approved the start
// of the step (its witnesses) and who confirmed its result (this step's performer).
import { z } from 'zod';
import type { CeremonyContext } from '../../ceremony/types.js';
import { typedHex } from '../shared/keys.js';
import { common, id } from '../shared/step-schema.js';
import { refusal, type StepSpec } from '../spec-types.js';

const schema = z.strictObject({ ...common, type: z.literal('confirm-result'), of: id() });
export type ConfirmResultStep = z.infer<typeof schema>;

const HEX_DIGITS = 64;

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
  // The result whose fingerprint the witness types back from the paper log: named, its
  // fingerprint not shown, so it is read from the record and not copied from the screen.
  screenNotes: (step, { t, context, stepName }) => {
    const result = resultToConfirm(step.of, context);
    const made = stepName(step.of);
    const what = result ? t(result.what === 'key' ? 'confirmResult.whatKey' : 'confirmResult.whatFile', { name: result.name, step: made }) : made;
    return [
      { kind: 'text', text: t('confirmResult.what', { what }), tone: 'accent' },
      { kind: 'text', text: t('confirmResult.typeBack'), tone: 'plain' },
    ];
  },
  confirms: (step, context) => {
    const result = resultToConfirm(step.of, context);
    return result && { of: step.of, sha256: result.sha256 };
  },
  shown: (step, context) => ({ 'result-sha256': resultToConfirm(step.of, context)?.sha256 }),
  checkSubmission: (step, submission, context) => {
    const result = resultToConfirm(step.of, context);
    const typed = typedHex(submission.values['result-sha256']);
    if (result === undefined)
      return refusal(step.id, 'confirm.noResult', `step ${step.id}: step ${step.of} has no result to confirm`, undefined, { of: step.of });
    if (typed.length !== HEX_DIGITS || typed !== result.sha256) {
      return refusal(
        step.id,
        'confirm.fingerprint',
        `step ${step.id}: the fingerprint typed back is not that of ${result.name} made by step ${step.of} (all ${HEX_DIGITS} hex digits)`,
        undefined,
        { name: result.name, of: step.of },
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
