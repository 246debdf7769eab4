// self-sign's effects: before approval, what will be signed in plain words (and the lint
// key started); after, the root certificate signed in the HSM after its lints passed.
import type { StepResult } from '../../ceremony/types.js';
import { describeAlgorithm } from '../../util/key-algorithm.js';
import type { StepRun } from '../run-types.js';
import type { SelfSignStep } from './spec.js';

export const selfSignRun: StepRun<SelfSignStep> = {
  prepare: (deps) => async ({ step, context }) => {
    // src/x509 is loaded on first use (see shared/x509-run.ts).
    const x = await import('../shared/x509-run.js');
    const p = x.certificateTools(deps).profile(step.profile);
    const validity = x.profileValidity(p, deps.clock());
    const key = context.keys[step.key];
    x.prepareLintKey(key?.algorithm);
    return {
      what: 'self-signed root certificate',
      subject: x.formatName(x.buildName(x.nameAttributesFrom(step.subject as Record<string, string>))),
      issuer: 'the same (self-signed)',
      key: key ? `${key.label} (${describeAlgorithm(key.algorithm)}), SPKI SHA-256 ${key.spkiSha256}` : step.key,
      spkiSha256: key?.spkiSha256,
      profile: step.profile,
      notBefore: validity.notBefore.toISOString(),
      notAfter: validity.notAfter.toISOString(),
      extensions: x.extensionList(p),
    };
  },
  work: (deps) => async ({ step }) => {
    const x = await import('../shared/x509-run.js');
    const tools = x.certificateTools(deps);
    const signer = tools.signerFor(step.key);
    const issued = await x.selfSignWithLints({ signer, subject: x.nameAttributesFrom(step.subject as Record<string, string>), profile: tools.profile(step.profile), notBefore: deps.clock() });
    const file = tools.writePem(step, step.output, 'certificate', 'CERTIFICATE', issued.der);
    return { outputs: [file], details: { ...x.certificateDetails(issued.der, issued.lints.length), signedWith: signer.signedWith } } satisfies StepResult;
  },
};
