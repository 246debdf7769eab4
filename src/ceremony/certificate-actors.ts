// The certificate steps' effects: create-csr, self-sign, issue-certificate, issue-crl,
// accept-certificate, and the "what will be signed" descriptions shown before approval.
// Every signature is made inside the HSM through a KeySigner; nothing here sees a PIN.
import { KeyceremonyError } from '../errors.js';
import type { Definition, Step, StepOf } from '../definition/definition.js';
import { algorithmFromDescription, describeAlgorithm } from '../hsm/types.js';
import { INPUT_FILE_LIMIT, YAML_FILE_LIMIT } from '../util/bounded-read.js';
import { fingerprint } from '../util/fingerprint.js';
import { insideWorkdir, readWorkdirFile, readWorkdirText } from '../util/safe-path.js';
import {
  buildName,
  certificateMatchesKey,
  createCsr,
  derFromDerOrPem,
  describeCertificate,
  describeCsr,
  formatName,
  hsmSigner,
  issueCertificate,
  issueCrl,
  lintCertificate,
  nameAttributesFrom,
  parseX509Profile,
  prepareThrowawaySigner,
  profileValidity,
  selfSignWithLints,
  toPem,
  verifyChain,
  verifyCsr,
  type X509Profile,
} from '../x509/index.js';
import type { StepActorInput } from './compile.js';
import type { OutputStore } from './outputs.js';
import { tokenOfKey } from './steps/kind.js';
import type { TokenSessions } from './token-sessions.js';
import type { CeremonyContext, StepResult } from './types.js';
import { x509ProfilePath } from './workdir.js';

export interface CertificateDeps {
  definition: Definition;
  sessions: TokenSessions;
  outputs: OutputStore;
  workdir: string;
  clock: () => Date;
}

const profileName = (name: string) => `profiles/${name}.yaml`;

/** The workdir's copy of an X.509 profile, read without following a link. */
function workdirProfile(workdir: string, name: string): X509Profile {
  return parseX509Profile(x509ProfilePath(workdir, name), readWorkdirText(workdir, profileName(name), YAML_FILE_LIMIT, 'X.509 profile'));
}

/** A file the step names: an input brought to the ceremony, or an output of an earlier step. */
function fileBytes(workdir: string, context: CeremonyContext, name: string): Buffer {
  if (context.inputs[name]) return readWorkdirFile(workdir, `inputs/${name}`, INPUT_FILE_LIMIT);
  if (context.outputs[name]) return readWorkdirFile(workdir, `outputs/${name}`, INPUT_FILE_LIMIT);
  throw new KeyceremonyError(`"${name}" is neither an input nor an output of this ceremony`, { code: 'file.unknown' });
}

type Actor = (input: StepActorInput) => Promise<unknown>;

/**
 * Starts the lint-before-sign's throwaway key of the issuer's type while the witnesses read
 * what will be signed (see prepareThrowawaySigner). An issuer key of a type we cannot read
 * here simply gets its throwaway key at signing time.
 */
function prepareLintKey(issuerAlgorithm: string | undefined): void {
  const algorithm = issuerAlgorithm === undefined ? undefined : algorithmFromDescription(issuerAlgorithm);
  if (algorithm) prepareThrowawaySigner(algorithm);
}

export function certificateActors(deps: CertificateDeps): Record<string, Actor> {
  const { definition, sessions, outputs, workdir } = deps;
  const profile = (name: string): X509Profile => workdirProfile(workdir, name);
  const signerFor = (label: string) => hsmSigner(sessions.loggedIn(tokenOfKey(definition, label)), label);
  const certificate = (context: CeremonyContext, name: string) => derFromDerOrPem(fileBytes(workdir, context, name), 'CERTIFICATE', `certificate ${name}`);
  const csrOf = (context: CeremonyContext, name: string) => derFromDerOrPem(fileBytes(workdir, context, name), 'CERTIFICATE REQUEST', `certificate request ${name}`);
  const writePem = (step: Step, name: string, kind: 'csr' | 'certificate' | 'crl', label: 'CERTIFICATE REQUEST' | 'CERTIFICATE' | 'X509 CRL', der: Buffer) =>
    outputs.write(name, kind, toPem(label, der), step.id);

  const createCsrActor: Actor = async ({ step }) => {
    const s = step as StepOf<'create-csr'>;
    const signer = signerFor(s.key);
    const subject = nameAttributesFrom(s.subject as Record<string, string>);
    const { der } = await createCsr({ signer, subject, ...(s.hash ? { hash: s.hash } : {}) });
    // Proof of possession, checked as the issuer will: the request verifies with its own key.
    const summary = verifyCsr(der, { subject, algorithm: signer.algorithm });
    if (!summary.spki.equals(signer.spki)) throw new KeyceremonyError(`step ${s.id}: the request's public key is not key ${s.key}`, { code: 'csr.key' });
    const file = writePem(s, s.output, 'csr', 'CERTIFICATE REQUEST', der);
    return { outputs: [file], details: { subject: summary.subjectText, key: describeAlgorithm(summary.algorithm), spkiSha256: summary.spkiFingerprint.sha256, requestSha256: summary.fingerprint.sha256, signedWith: signer.signedWith } } satisfies StepResult;
  };

  /** What self-sign or issue-certificate is about to sign, in plain words, before approval. */
  const describeIssuance: Actor = async ({ step, context }) => {
    const now = deps.clock();
    if (step.type === 'self-sign') {
      const p = profile(step.profile);
      const validity = profileValidity(p, now);
      const key = context.keys[step.key];
      prepareLintKey(key?.algorithm);
      return {
        what: 'self-signed root certificate',
        subject: formatName(buildName(nameAttributesFrom(step.subject as Record<string, string>))),
        issuer: 'the same (self-signed)',
        key: key ? `${key.label} (${key.algorithm}), SPKI SHA-256 ${key.spkiSha256}` : step.key,
        spkiSha256: key?.spkiSha256,
        profile: step.profile,
        notBefore: validity.notBefore.toISOString(),
        notAfter: validity.notAfter.toISOString(),
        extensions: p.extensions.map((e) => `${e.type}${e.critical ? ' (critical)' : ''}`),
      };
    }
    const s = step as StepOf<'issue-certificate'>;
    const p = profile(s.profile);
    const csr = csrOf(context, s.csr);
    const csrFile = context.inputs[s.csr] ?? context.outputs[s.csr]!;
    const request = verifyCsr(csr, s.subject ? { subject: nameAttributesFrom(s.subject as Record<string, string>) } : {}, `certificate request ${s.csr}`);
    const issuer = describeCertificate(certificate(context, s.issuer));
    prepareLintKey(issuer.key);
    const validity = profileValidity(p, now);
    return {
      what: 'subordinate CA certificate',
      subject: request.subjectText,
      issuer: issuer.subject,
      key: `${describeAlgorithm(request.algorithm)}, SPKI SHA-256 ${request.spkiFingerprint.sha256}`,
      csrSha256: csrFile.sha256,
      csrWords: csrFile.words,
      proofOfPossession: 'the request signature verifies with its own key',
      profile: s.profile,
      notBefore: validity.notBefore.toISOString(),
      notAfter: validity.notAfter.toISOString(),
      extensions: p.extensions.map((e) => `${e.type}${e.critical ? ' (critical)' : ''}`),
      request: describeCsr(csr).text,
    };
  };

  const selfSignActor: Actor = async ({ step }) => {
    const s = step as StepOf<'self-sign'>;
    const signer = signerFor(s.key);
    const issued = await selfSignWithLints({ signer, subject: nameAttributesFrom(s.subject as Record<string, string>), profile: profile(s.profile), notBefore: deps.clock() });
    const file = writePem(s, s.output, 'certificate', 'CERTIFICATE', issued.der);
    return { outputs: [file], details: { ...certificateDetails(issued.der, issued.lints.length), signedWith: signer.signedWith } } satisfies StepResult;
  };

  const issueCertificateActor: Actor = async ({ step, context }) => {
    const s = step as StepOf<'issue-certificate'>;
    const signer = signerFor(s.key);
    const issued = await issueCertificate({
      csr: csrOf(context, s.csr),
      issuerSigner: signer,
      issuerCertificate: certificate(context, s.issuer),
      profile: profile(s.profile),
      notBefore: deps.clock(),
      ...(s.subject ? { expect: { subject: nameAttributesFrom(s.subject as Record<string, string>) } } : {}),
    });
    verifyChain([issued.der, certificate(context, s.issuer)]);
    const file = writePem(s, s.output, 'certificate', 'CERTIFICATE', issued.der);
    return { outputs: [file], details: { ...certificateDetails(issued.der, issued.lints.length), signedWith: signer.signedWith } } satisfies StepResult;
  };

  const issueCrlActor: Actor = async ({ step, context }) => {
    const s = step as StepOf<'issue-crl'>;
    const thisUpdate = deps.clock();
    // CRL numbers only ever grow: seconds since the epoch at issue time (RFC 5280 §5.2.3).
    const number = BigInt(Math.floor(thisUpdate.getTime() / 1000));
    const signer = signerFor(s.key);
    const der = await issueCrl({
      issuerSigner: signer,
      issuerCertificate: certificate(context, s.issuer),
      number,
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + s.nextUpdateDays * 86_400_000),
      revoked: (s.revoked ?? []).map((r) => ({ serial: r.serial, date: thisUpdate, reason: r.reason })),
    });
    const file = writePem(s, s.output, 'crl', 'X509 CRL', der);
    return { outputs: [file], details: { number: number.toString(), thisUpdate: thisUpdate.toISOString(), revoked: (s.revoked ?? []).length, signedWith: signer.signedWith } } satisfies StepResult;
  };

  /** The subscriber's checks before deciding: own key, exact subject, profile, chain. */
  const checkCertificate: Actor = async ({ step, context }) => {
    const s = step as StepOf<'accept-certificate'>;
    const der = certificate(context, s.certificate);
    const chain = s.chain.map((name) => certificate(context, name));
    const token = tokenOfKey(definition, s.key);
    const key = sessions.session(token).findKeyPair(s.key);
    const checks: Array<{ check: string; ok: boolean; message: string }> = [];
    const check = (name: string, run: () => string) => {
      try {
        checks.push({ check: name, ok: true, message: run() });
      } catch (error) {
        checks.push({ check: name, ok: false, message: (error as Error).message });
      }
    };
    check('public key is our key', () => {
      if (!key) throw new Error(`there is no key "${s.key}" on token "${token}"`);
      if (!certificateMatchesKey(der, key.spki)) throw new Error(`the certificate's public key is not key "${s.key}" (SPKI SHA-256 ${key.fingerprint.sha256})`);
      return `the certificate certifies key "${s.key}", SPKI SHA-256 ${key.fingerprint.sha256}`;
    });
    check('subject as requested', () => {
      const wanted = buildName(nameAttributesFrom(s.subject as Record<string, string>));
      const described = describeCertificate(der);
      if (formatName(wanted) !== described.subject) throw new Error(`the subject is ${described.subject}, not ${formatName(wanted)}`);
      return described.subject;
    });
    check('profile', () => {
      const failed = lintCertificate(der, chain[0], profile(s.profile)).filter((l) => !l.ok);
      if (failed.length > 0) throw new Error(failed.map((l) => `${l.id} (${l.clause}): ${l.message}`).join('; '));
      return `every lint of profile ${s.profile} passes`;
    });
    check('chain', () => {
      verifyChain([der, ...chain]);
      return 'the certificate chains to the issuer certificate';
    });
    const failed = checks.find((c) => !c.ok);
    return { ok: !failed, problem: failed?.message, checks, certificate: describeCertificate(der).text, certificateSha256: fingerprint(fileBytes(workdir, context, s.certificate)).sha256 };
  };

  const acceptCertificate: Actor = async ({ step, context }) => {
    const s = step as StepOf<'accept-certificate'>;
    const decision = context.submission!.values.decision as 'accept' | 'reject';
    const prepared = context.prepared as { checks: unknown; certificateSha256: string };
    const record = {
      record: 'certificate acceptance confirmation',
      certificate: s.certificate,
      certificateSha256: prepared.certificateSha256,
      decision,
      reason: context.submission!.values.reason ?? '',
      checks: prepared.checks,
      subscriber: context.submission!.performer,
      witnesses: context.submission!.witnesses,
      at: deps.clock().toISOString(),
      ...(decision === 'reject' ? { revocation: 'the certificate was rejected: the subscriber must request its revocation from the issuer' } : {}),
    };
    const file = outputs.write(`${s.certificate}.acceptance.json`, 'acceptance', `${JSON.stringify(record, null, 2)}\n`, s.id);
    return { outputs: [file], details: { decision, certificateSha256: prepared.certificateSha256, ...(decision === 'reject' ? { revocationRequired: true } : {}) } } satisfies StepResult;
  };

  return {
    createCsr: createCsrActor,
    describeIssuance,
    selfSign: selfSignActor,
    issueCertificate: issueCertificateActor,
    issueCrl: issueCrlActor,
    checkCertificate,
    acceptCertificate,
  };
}

function certificateDetails(der: Buffer, lints: number): Record<string, unknown> {
  const d = describeCertificate(der);
  return { subject: d.subject, issuer: d.issuer, serial: d.serial, notBefore: d.notBefore.utc, notAfter: d.notAfter.utc, spkiSha256: d.spkiSha256.sha256, certificateSha256: d.sha256.sha256, lintsPassed: lints };
}
