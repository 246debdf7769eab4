// What the compiler needs to know about a step type: which token it needs logged in,
// whose shares it collects, what it prepares before approval, which credentials it splits,
// which actor does its work, and any checks beyond multiple person control.
import type { Definition, Step, StepOf, StepType } from '../../definition/definition.js';
import type { CeremonyContext, Problem, StepResult, Submission } from '../types.js';

export type ActorName =
  | 'unlock'
  | 'lock'
  | 'prepareShareSets'
  | 'initToken'
  | 'setUserPin'
  | 'rotateCredential'
  | 'generateKey'
  | 'createCsr'
  | 'selfSign'
  | 'issueCertificate'
  | 'inspectKey'
  | 'destroyKey'
  | 'checkCertificate'
  | 'describeIssuance'
  | 'acceptCertificate'
  | 'issueCrl';

export interface StepKind<S extends Step = Step> {
  /** The token this step needs logged in (asked again of the quorum after a restart). */
  login?(step: S, definition: Definition): { token: string; userType: 'user' | 'so' } | undefined;
  /** The credential whose shares the custodians enter before approval. */
  collects?(step: S): string;
  /** Runs before anyone approves, so the screen can show what is about to happen. */
  prepare?: ActorName;
  /** Credentials split into new share sets and handed to custodians before the work. */
  distributes?(step: S): string[];
  /** Does the step's effect; its output is the StepResult the journal records. */
  work?: ActorName;
  /** Checks on the submission beyond who performs and witnesses. */
  check?(step: S, submission: Submission, context: CeremonyContext, definition: Definition): Problem | undefined;
  /** The result of a step without work. */
  result?(step: S, submission: Submission, context: CeremonyContext): StepResult;
}

export type StepKinds = { [T in StepType]: StepKind<StepOf<T>> };

export const refusal = (step: string, code: string, message: string, hint?: string): Problem => ({ step, code, message, hint });

/** The token a key lives on: generated earlier in this ceremony, or declared in `keys`. */
export function tokenOfKey(definition: Definition, label: string): string {
  for (const step of definition.steps) if (step.type === 'generate-key' && step.key.label === label) return step.token;
  const declared = definition.keys[label];
  if (!declared) throw new Error(`key ${label} is neither generated nor declared (the definition checks should have refused this)`);
  return declared.token;
}
