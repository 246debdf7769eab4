// The X.509 checks before a ceremony starts (`validate`, `plan`, and `run` before anyone signs
// in): every X.509 profile the definition names is loaded, and each signing step's profile is
// checked against the operation, the key that signs and the key certified (algorithm, size or
// curve, hash), and its validity against the issuer's; every name the definition writes is
// checked against the RFC 5280 upper bounds. Without this, a key/profile mismatch was found
// only after the quorum had unlocked the token. The steps say what they sign (spec `x509`);
// this walks them in order, so a certificate an earlier step makes can be a later one's issuer.
// At `run` the files brought to the ceremony are known too: the issuer certificate's end and
// the key each CSR carries are checked against the definition before sign-in.
import { resolve } from 'node:path';
import { KeyceremonyError } from '../errors.js';
import { keyOf } from '../steps/hsm-needs.js';
import { specOf } from '../steps/index.js';
import type { X509Signing } from '../steps/spec-types.js';
import { describeAlgorithm } from '../util/key-algorithm.js';
import { YamlSource, problemsError, type YamlProblem } from '../util/strict-yaml.js';
import type { X509Profile } from '../x509/profile.js';
import type { Definition } from './definition.js';

export interface X509PreflightOptions {
  /** The day the ceremony signs (notBefore): the clock at `run`, today at `validate` and `plan`. */
  now: Date;
  /** Files brought to the ceremony, by input name, once `run` has checked and copied them. */
  inputs?: Readonly<Record<string, Buffer>>;
}

const HINT = 'fix the ceremony definition or the X.509 profile it names; nothing was signed and no one has signed in';

/** Every problem of the definition's X.509 use, with the YAML path it concerns. */
export async function x509Problems(definition: Definition, options: X509PreflightOptions): Promise<YamlProblem[]> {
  const used = definition.steps.some((s) => specOf(s).x509 !== undefined) || Object.keys(definition.profiles).length > 0;
  if (!used) return [];
  // src/x509 is loaded only for definitions that sign or name certificates (validate stays fast).
  const [{ loadX509Profile }, { preflightProfile }, { attributeProblem }, { profileNotAfter, validityAgainstIssuer }, { formatUtc }] = await Promise.all([
    import('../x509/profile.js'),
    import('../x509/preflight.js'),
    import('../x509/names.js'),
    import('../x509/validity.js'),
    import('../x509/time.js'),
  ]);
  const problems: YamlProblem[] = [];

  // Every profile is loaded; a refused one is reported at the first step that uses it.
  const loaded = new Map<string, X509Profile | string>();
  for (const [name, file] of Object.entries(definition.profiles)) {
    try {
      loaded.set(name, loadX509Profile(resolve(definition.dir, file)));
    } catch (error) {
      if (!(error instanceof KeyceremonyError)) throw error;
      loaded.set(name, error.message);
    }
  }
  const reported = new Set<string>();

  /** notAfter of the certificates the definition's own steps make, to check a later step's validity against. */
  const made = new Map<string, Date>();
  const brought = await inputCertificateEnds(definition, options.inputs);
  const issuerEnd = (name: string | undefined): Date | undefined => (name === undefined ? undefined : (made.get(name) ?? brought.get(name)));

  for (const [index, step] of definition.steps.entries()) {
    const facts = specOf(step).x509?.(step);
    if (!facts) continue;
    const at = (...rest: Array<string | number>) => ['steps', index, ...rest];
    const problem = (path: Array<string | number>, message: string) => problems.push({ path: at(...path), message: `(step ${step.id}) ${message}` });

    if (facts.subject) {
      for (const [type, value] of Object.entries(facts.subject.name)) {
        const wrong = attributeProblem({ type: type as never, value });
        if (wrong) problem([facts.subject.at, type], wrong.message);
      }
    }
    const signing = facts.signing;
    if (!signing) continue;
    const profile = loaded.get(signing.profile);
    const file = definition.profiles[signing.profile];
    if (profile === undefined || file === undefined) continue; // the definition checks report an unknown profile
    if (typeof profile === 'string') {
      if (!reported.has(signing.profile)) problem(['profile'], `names X.509 profile ${file}, which is refused: ${profile}`);
      reported.add(signing.profile);
      continue;
    }
    const signingKey = keyOf(definition, signing.key).algorithm;
    const subjectKey = signing.subjectKey === 'signing key' ? signingKey : signing.subjectKey;
    const issuerNotAfter = issuerEnd(signing.issuer);
    if (signingKey && subjectKey) {
      const found = preflightProfile(profile, {
        operation: signing.operation,
        issuerKey: signingKey,
        subjectKey,
        notBefore: options.now,
        ...(issuerNotAfter ? { issuerNotAfter } : {}),
      });
      for (const text of found)
        problem(
          ['profile'],
          `names X.509 profile ${file}, which ${text}${text.startsWith('gives notAfter') ? ` (if signed on ${formatUtc(options.now)})` : ''}`,
        );
    }
    const notAfter = issuerNotAfter ? validityAgainstIssuer(profile, options.now, issuerNotAfter).notAfter : profileNotAfter(profile, options.now);
    if (notAfter <= options.now)
      problem(
        ['profile'],
        `names X.509 profile ${file}, which gives notAfter ${formatUtc(notAfter)}, not after ${formatUtc(options.now)}, the day it would be signed`,
      );
    made.set(signing.output, notAfter);
    problems.push(...(await csrProblems(signing, options.inputs, at, step.id)));
  }
  return problems;
}

/** The notAfter of each certificate brought as an input (`run` has checked their form when it copied them in). */
async function inputCertificateEnds(definition: Definition, inputs: X509PreflightOptions['inputs']): Promise<Map<string, Date>> {
  const ends = new Map<string, Date>();
  const certificates = Object.entries(definition.inputs).filter(([name, input]) => input.kind === 'certificate' && inputs?.[name] !== undefined);
  if (certificates.length === 0) return ends;
  const [{ parseCertificate }, { derFromDerOrPem }] = await Promise.all([import('../x509/certificate.js'), import('../x509/pem.js')]);
  for (const [name] of certificates) {
    const what = `input "${name}"`;
    ends.set(name, parseCertificate(derFromDerOrPem(inputs![name]!, 'CERTIFICATE', what), what).notAfter);
  }
  return ends;
}

/** At `run`: the CSR brought to the ceremony carries the key the definition states. */
async function csrProblems(
  signing: X509Signing,
  inputs: X509PreflightOptions['inputs'],
  at: (...rest: Array<string | number>) => Array<string | number>,
  stepId: string,
): Promise<YamlProblem[]> {
  const bytes = signing.csr ? inputs?.[signing.csr.name] : undefined;
  if (!signing.csr || !bytes || signing.subjectKey === 'signing key') return [];
  const { verifyCsr } = await import('../x509/csr.js');
  const { derFromDerOrPem } = await import('../x509/pem.js');
  const what = `input "${signing.csr.name}"`;
  try {
    verifyCsr(derFromDerOrPem(bytes, 'CERTIFICATE REQUEST', what), { algorithm: signing.subjectKey }, what);
    return [];
  } catch (error) {
    if (!(error instanceof KeyceremonyError)) throw error;
    return [
      { path: at(signing.csr.keyAt), message: `(step ${stepId}) says the CSR carries an ${describeAlgorithm(signing.subjectKey)} key, but ${error.message}` },
    ];
  }
}

/** Throws one InputError (exit 2) listing every X.509 problem with the definition's file:line:col. */
export async function checkX509(definition: Definition, options: X509PreflightOptions): Promise<void> {
  const problems = await x509Problems(definition, options);
  if (problems.length > 0) throw problemsError(YamlSource.parse(definition.file, definition.text, 'definition'), problems, 'definition', HINT);
}
