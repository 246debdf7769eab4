// How a step's result changes the context. The same function runs when a step's work
// finishes and when `resume` adopts a step that the journal records but the last saved
// snapshot does not: the journal record *is* the result, so both paths agree.
import type { CeremonyContext, StepResult } from './types.js';

export function applyResult(
  context: CeremonyContext,
  stepId: string,
  result: StepResult,
  who: { performer: string | undefined; witnesses: string[] },
): Partial<CeremonyContext> {
  const keys = { ...context.keys };
  for (const key of result.keys ?? []) keys[key.label] = key;
  for (const label of result.destroyedKeys ?? []) delete keys[label];
  const outputs = { ...context.outputs };
  for (const file of result.outputs ?? []) outputs[file.name] = file;
  const shareSets = { ...context.shareSets };
  for (const set of result.shareSets ?? []) shareSets[set.credential] = set;
  const sessions = { ...context.sessions };
  const relogin = { ...context.relogin };
  if (result.session) {
    sessions[result.session.token] = result.session;
    delete relogin[result.session.token];
  }
  for (const token of result.lockedTokens ?? []) {
    delete sessions[token];
    delete relogin[token];
  }
  return {
    ...(result.participants ? { participants: result.participants } : {}),
    keys,
    outputs,
    shareSets,
    sessions,
    relogin,
    results: { ...context.results, [stepId]: { ...result, ...who } },
    submission: undefined,
    shares: undefined,
    distribution: undefined,
    prepared: undefined,
    failure: undefined,
    refusal: undefined,
    finalTryApproved: false,
    stepIndex: context.stepIndex + 1,
  };
}

/** Everything the ceremony created so far, for the abort record. */
export function createdSoFar(context: CeremonyContext): Record<string, unknown> {
  return {
    keys: Object.values(context.keys)
      .filter((k) => k.step !== 'declared')
      .map((k) => ({ label: k.label, token: k.token, spkiSha256: k.spkiSha256 })),
    outputs: Object.values(context.outputs).map((o) => ({ name: o.name, sha256: o.sha256 })),
    shareSets: Object.values(context.shareSets).map((s) => ({ credential: s.credential, setId: s.setId })),
    loggedIn: Object.keys(context.sessions),
  };
}
