// accept-certificate's effects: before the decision, the subscriber's checks (own key,
// exact subject, profile, chain); after, the decision written as the acceptance record.
// An accepted certificate goes onto the token beside its key (same label and CKA_ID), and
// its chain is written as PEM and as a certs-only PKCS#7 bundle.
import type { StepResult } from '../../ceremony/types.js';
import { fingerprint } from '../../util/fingerprint.js';
import { tokenOfKey } from '../shared/keys.js';
import type { StepRun } from '../run-types.js';
import type { AcceptCertificateStep } from './spec.js';
import { errorMessage } from '../../util/storage.js';

export const acceptCertificateRun: StepRun<AcceptCertificateStep> = {
  prepare:
    (deps) =>
    async ({ step, context }) => {
      // src/x509 is loaded on first use (see shared/x509-run.ts).
      const x = await import('../shared/x509-run.js');
      const tools = x.certificateTools(deps);
      const der = tools.certificate(context, step.certificate);
      const chain = step.chain.map((name) => tools.certificate(context, name));
      const token = tokenOfKey(deps.definition, step.key);
      const key = deps.sessions.session(token).findKeyPair(step.key);
      const checks: Array<{ check: string; ok: boolean; message: string }> = [];
      const check = (name: string, run: () => string) => {
        try {
          checks.push({ check: name, ok: true, message: run() });
        } catch (error) {
          checks.push({ check: name, ok: false, message: errorMessage(error) });
        }
      };
      check('public key is our key', () => {
        if (!key) throw new Error(`there is no key "${step.key}" on token "${token}"`);
        if (!x.certificateMatchesKey(der, key.spki))
          throw new Error(`the certificate's public key is not key "${step.key}" (SPKI SHA-256 ${key.fingerprint.sha256})`);
        return `the certificate certifies key "${step.key}", SPKI SHA-256 ${key.fingerprint.sha256}`;
      });
      check('subject as requested', () => {
        const wanted = x.buildName(x.nameAttributesFrom(step.subject));
        const described = x.describeCertificate(der);
        if (x.formatName(wanted) !== described.subject) throw new Error(`the subject is ${described.subject}, not ${x.formatName(wanted)}`);
        return described.subject;
      });
      check('profile', () => {
        const failed = x.lintCertificate(der, chain[0], tools.profile(step.profile)).filter((l) => !l.ok);
        if (failed.length > 0) throw new Error(failed.map((l) => `${l.id} (${l.clause}): ${l.message}`).join('; '));
        return `every lint of profile ${step.profile} passes`;
      });
      check('chain', () => {
        x.verifyChain([der, ...chain]);
        return 'the certificate chains to the issuer certificate';
      });
      const failed = checks.find((c) => !c.ok);
      return {
        ok: !failed,
        problem: failed?.message,
        checks,
        certificate: x.describeCertificate(der).text,
        certificateSha256: fingerprint(x.fileBytes(deps.workdir, context, step.certificate)).sha256,
      };
    },
  work:
    (deps) =>
    async ({ step, context }) => {
      const { outputs, clock } = deps;
      const decision = context.submission!.values.decision as 'accept' | 'reject';
      const prepared = context.prepared as { checks: unknown; certificateSha256: string };
      const record = {
        record: 'certificate acceptance confirmation',
        certificate: step.certificate,
        certificateSha256: prepared.certificateSha256,
        decision,
        reason: context.submission!.values.reason ?? '',
        checks: prepared.checks,
        subscriber: context.submission!.performer,
        witnesses: context.submission!.witnesses,
        at: clock().toISOString(),
        ...(decision === 'reject' ? { revocation: 'the certificate was rejected: the subscriber must request its revocation from the issuer' } : {}),
      };
      const file = outputs.write(`${step.certificate}.acceptance.json`, 'acceptance', `${JSON.stringify(record, null, 2)}\n`, step.id);
      if (decision === 'reject')
        return { outputs: [file], details: { decision, certificateSha256: prepared.certificateSha256, revocationRequired: true } } satisfies StepResult;
      const x = await import('../shared/x509-run.js');
      const tools = x.certificateTools(deps);
      const chain = [step.certificate, ...step.chain].map((name) => tools.certificate(context, name));
      const token = tokenOfKey(deps.definition, step.key);
      const onToken = deps.sessions.session(token).storeCertificate(step.key, { value: chain[0]!, ...x.certificateObjectFields(chain[0]!) });
      const bundle = x.certificateBundle(chain);
      const files = [
        file,
        outputs.write(`${step.certificate}.chain.pem`, 'certificate-chain', bundle.pemChain, step.id),
        outputs.write(`${step.certificate}.p7b`, 'certificate-chain', bundle.pkcs7Pem, step.id),
      ];
      return {
        outputs: files,
        details: {
          decision,
          certificateSha256: prepared.certificateSha256,
          tokenCertificate: { token, label: onToken.label, id: onToken.id, alreadyThere: !onToken.created },
        },
      } satisfies StepResult;
    },
};
