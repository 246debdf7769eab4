// issue-crl's effect: the CRL signed in the HSM, numbered by the time of issue.
import type { StepResult } from '../../ceremony/types.js';
import type { StepRun } from '../run-types.js';
import type { IssueCrlStep } from './spec.js';

export const issueCrlRun: StepRun<IssueCrlStep> = {
  work: (deps) => async ({ step, context }) => {
    // src/x509 is loaded on first use (see shared/x509-run.ts).
    const x = await import('../shared/x509-run.js');
    const tools = x.certificateTools(deps);
    const thisUpdate = deps.clock();
    // CRL numbers only ever grow: seconds since the epoch at issue time (RFC 5280 §5.2.3).
    const number = BigInt(Math.floor(thisUpdate.getTime() / 1000));
    const signer = tools.signerFor(step.key);
    const der = await x.issueCrl({
      issuerSigner: signer,
      issuerCertificate: tools.certificate(context, step.issuer),
      number,
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + step.nextUpdateDays * 86_400_000),
      revoked: (step.revoked ?? []).map((r) => ({ serial: r.serial, date: thisUpdate, reason: r.reason })),
    });
    const file = tools.writePem(step, step.output, 'crl', 'X509 CRL', der);
    return { outputs: [file], details: { number: number.toString(), thisUpdate: thisUpdate.toISOString(), revoked: (step.revoked ?? []).length, signedWith: signer.signedWith } } satisfies StepResult;
  },
};
