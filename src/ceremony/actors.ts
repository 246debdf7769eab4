// The effects of a ceremony, as xstate actors provided at the composition root:
//   machine.provide({ actors: createActors(deps) })
// Each actor gets the step and the secret-free context, does one thing (with the HSM, the
// SecretStore, the outputs folder), and returns the StepResult the journal records.
import { fromPromise } from 'xstate';
import { KeyceremonyError } from '../errors.js';
import type { Definition, Step, StepOf } from '../definition/definition.js';
import type { Hsm } from '../hsm/hsm.js';
import type { HsmProfile } from '../hsm/profile.js';
import type { KeyAlgorithm, KeyPairInfo, TokenInfo } from '../hsm/types.js';
import { describeAlgorithm } from '../hsm/types.js';
import { newSecret, serializeManifest, split, type SecretStore, type ShareSetManifest } from '../quorum/index.js';
import { sha256 } from '../util/fingerprint.js';
import type { HsmSession } from '../hsm/hsm.js';
import type { StepActorInput } from './compile.js';
import type { ShareHandouts } from './handouts.js';
import { manifestFor } from './manifests.js';
import type { OutputStore } from './outputs.js';
import { shareCollection } from './phase.js';
import type { ActorName } from './steps/index.js';
import { bindShareSet, checkShareSetBound } from './share-binding.js';
import type { TokenSessions } from './token-sessions.js';
import type { CeremonyContext, Distribution, KeyRecord, ShareSetRecord, StepResult } from './types.js';
import type { CertificateDeps } from './certificate-actors.js';

export interface CeremonyDeps extends CertificateDeps {
  definition: Definition;
  profile: HsmProfile;
  hsm: Hsm;
  sessions: TokenSessions;
  secrets: SecretStore;
  handouts: ShareHandouts;
  outputs: OutputStore;
  workdir: string;
  clock: () => Date;
}

type StepActor = (input: StepActorInput) => Promise<unknown>;

const newSecretName = (step: string, credential: string) => `new:${step}:${credential}`;
const oldSecretName = (step: string, credential: string) => `old:${step}:${credential}`;
const loginSecretName = (step: string, credential: string) => `login:${step}:${credential}`;

/** The custodians who receive a new share set: named in the submission, or every holder of the role. */
function custodiansFor(definition: Definition, context: CeremonyContext, step: Step, credential: string, of: number): string[] {
  const role = definition.credentials[credential]!.custodians;
  const named = context.submission?.values.custodians;
  const custodians = named ? named.split(',').map((c) => c.trim()).filter(Boolean) : context.participants.filter((p) => p.roles.includes(role)).map((p) => p.id);
  for (const custodian of custodians) {
    const person = context.participants.find((p) => p.id === custodian);
    if (!person?.roles.includes(role)) throw new KeyceremonyError(`step ${step.id}: ${custodian} is not a signed-in ${role}`, { code: 'split.custodian' });
  }
  if (custodians.length !== of) {
    throw new KeyceremonyError(`step ${step.id}: ${credential} is split into ${of} shares, but ${custodians.length} custodians would receive them`, {
      code: 'split.custodian-count',
      hint: `name exactly ${of} custodians (answers: steps.${step.id}.custodians)`,
    });
  }
  return custodians;
}

export function keyRecord(key: KeyPairInfo, token: string, step: string): KeyRecord {
  return { label: key.label, token, id: key.id, algorithm: describeAlgorithm(key.algorithm), spkiSha256: key.fingerprint.sha256, words: key.fingerprint.words, uri: key.uri, step };
}

export function tokenSummary(token: TokenInfo): Record<string, unknown> {
  return { label: token.label, serial: token.serial, manufacturer: token.manufacturer, model: token.model, firmware: token.firmware };
}

export function keyAlgorithmOf(spec: StepOf<'generate-key'>['key']): KeyAlgorithm {
  return spec.algorithm === 'RSA' ? { type: 'RSA', bits: spec.bits as 2048 | 3072 | 4096 } : { type: 'EC', curve: spec.curve as 'P-256' | 'P-384' | 'P-521' };
}

export function createActors(deps: CeremonyDeps) {
  const { definition, sessions, secrets, handouts, outputs } = deps;
  const pending = new Map<string, ShareSetManifest>();

  const writeManifest = (step: Step, manifest: ShareSetManifest, credential: string): { record: ShareSetRecord; file: StepResult['outputs'] } => {
    const name = `${credential}.${step.id}.manifest.json`;
    const file = outputs.write(name, 'share-manifest', serializeManifest(manifest), step.id);
    const record: ShareSetRecord = {
      credential,
      setId: manifest.setId,
      threshold: manifest.threshold,
      count: manifest.count,
      custodians: manifest.shares.map((s) => s.custodian),
      file: `outputs/${name}`,
      sha256: file.sha256,
    };
    return { record, file: [file] };
  };

  /**
   * The token records which share sets now open its credentials (share-binding.ts), in the
   * session that just set them; the manifests are written afterwards, byte for byte the
   * serialisation hashed here.
   */
  const bindNewSets = (step: Step, session: HsmSession, credentials: string[]): void => {
    for (const credential of credentials) {
      const manifest = pending.get(`${step.id}:${credential}`);
      if (!manifest) throw new KeyceremonyError(`step ${step.id}: the new share set of ${credential} is no longer in memory`, { code: 'split.lost', hint: 'resume the ceremony; the step starts again with a new share set' });
      bindShareSet(session, credential, manifest.setId, sha256(serializeManifest(manifest)).toString('hex'));
    }
  };

  /** Verified quorum -> secret (checked against the manifest's verifier) -> PIN -> C_Login. */
  const unlock: StepActor = async ({ step, context, credential: given }) => {
    const credential = given ?? (step as StepOf<'unlock'>).credential;
    const spec = definition.credentials[credential]!;
    const manifest = manifestFor(deps.workdir, context, credential);
    // The token must still record this share set for the credential: nothing else reaches C_Login.
    const session = sessions.session(spec.token);
    checkShareSetBound(definition, session, context.shareSets[credential]!);
    const secretName = loginSecretName(step.id, credential);
    secrets.combine(shareCollection(step.id, credential), manifest, secretName);
    try {
      secrets.withPin(secretName, spec.pinLength, (pin) => session.login(spec.user, pin, { allowFinalTry: context.finalTryApproved }));
      const origin = context.relogin[spec.token]?.step ?? step.id;
      return { session: { token: spec.token, userType: spec.user, credential, setId: manifest.setId, step: origin }, details: { token: tokenSummary(session.token) } } satisfies StepResult;
    } finally {
      secrets.deleteSecret(secretName);
    }
  };

  const lock: StepActor = async ({ step, context }) => {
    const wanted = (step as StepOf<'lock'>).token;
    const tokens = wanted ? [wanted] : [...new Set([...Object.keys(context.sessions), ...Object.keys(context.relogin)])];
    for (const token of tokens) sessions.close(token);
    return { lockedTokens: tokens } satisfies StepResult;
  };

  /** New secrets split among custodians; the shares wait in the SecretStore to be handed out. */
  const prepareShareSets: StepActor = async ({ step, context, credentials = [] }) => {
    const sets: Distribution['sets'] = [];
    for (const credential of credentials) {
      const spec = definition.credentials[credential]!;
      const to = step.type === 'rotate-credential' && step.to ? step.to : { threshold: spec.threshold, of: spec.of };
      const custodians = custodiansFor(definition, context, step, credential, to.of);
      if (step.type === 'rotate-credential') {
        // The old set's quorum proves the old secret before anything new exists.
        secrets.combine(shareCollection(step.id, credential), manifestFor(deps.workdir, context, credential), oldSecretName(step.id, credential));
      }
      const secret = newSecret();
      const { shares, manifest } = split(secret, { threshold: to.threshold, of: to.of, custodians, label: credential, now: deps.clock(), ...(step.type === 'rotate-credential' ? { replaces: context.shareSets[credential]?.setId } : {}) });
      secrets.putSecret(newSecretName(step.id, credential), secret);
      for (const share of shares) handouts.put(step.id, credential, share.custodian, share.text);
      pending.set(`${step.id}:${credential}`, manifest);
      sets.push({ credential, setId: manifest.setId, custodians, confirmed: [] });
    }
    return { step: step.id, sets } satisfies Distribution;
  };

  const finishSets = (step: Step, credentials: string[]): Required<Pick<StepResult, 'outputs' | 'shareSets'>> => {
    const result = { outputs: [] as NonNullable<StepResult['outputs']>, shareSets: [] as ShareSetRecord[] };
    for (const credential of credentials) {
      const manifest = pending.get(`${step.id}:${credential}`);
      if (!manifest) throw new KeyceremonyError(`step ${step.id}: the new share set of ${credential} is no longer in memory`, { code: 'split.lost', hint: 'resume the ceremony; the step starts again with a new share set' });
      const { record, file } = writeManifest(step, manifest, credential);
      result.outputs.push(...(file ?? []));
      result.shareSets.push(record);
      handouts.discard(step.id, credential, record.custodians);
      pending.delete(`${step.id}:${credential}`);
    }
    return result;
  };

  const initToken: StepActor = async ({ step }) => {
    const s = step as StepOf<'init-token'>;
    const ref = sessions.tokenRef(s.token);
    const so = definition.credentials[s.so]!;
    const user = definition.credentials[s.user]!;
    try {
      const token = secrets.withPin(newSecretName(s.id, s.so), so.pinLength, (soPin) => {
        const made = deps.hsm.initToken(ref.label, soPin);
        const session = sessions.session(s.token);
        try {
          session.login('so', soPin);
          secrets.withPin(newSecretName(s.id, s.user), user.pinLength, (userPin) => session.initUserPin(userPin));
          bindNewSets(s, session, [s.so, s.user]);
        } finally {
          sessions.close(s.token);
        }
        return made;
      });
      return { ...finishSets(s, [s.so, s.user]), details: { token: tokenSummary(token) } } satisfies StepResult;
    } finally {
      secrets.deleteSecret(newSecretName(s.id, s.so));
      secrets.deleteSecret(newSecretName(s.id, s.user));
    }
  };

  const setUserPin: StepActor = async ({ step }) => {
    const s = step as StepOf<'split-credential'>;
    const spec = definition.credentials[s.credential]!;
    const session = sessions.loggedIn(spec.token);
    try {
      secrets.withPin(newSecretName(s.id, s.credential), spec.pinLength, (pin) => session.initUserPin(pin));
      bindNewSets(s, session, [s.credential]);
      return finishSets(s, [s.credential]) satisfies StepResult;
    } finally {
      secrets.deleteSecret(newSecretName(s.id, s.credential));
    }
  };

  const rotateCredential: StepActor = async ({ step, context }) => {
    const s = step as StepOf<'rotate-credential'>;
    const spec = definition.credentials[s.credential]!;
    try {
      const session = sessions.session(spec.token);
      try {
        secrets.withPin(oldSecretName(s.id, s.credential), spec.pinLength, (oldPin) => {
          session.login(spec.user, oldPin);
          secrets.withPin(newSecretName(s.id, s.credential), spec.pinLength, (newPin) => session.setPin(oldPin, newPin));
        });
        bindNewSets(s, session, [s.credential]);
      } finally {
        sessions.close(spec.token);
      }
      return { ...finishSets(s, [s.credential]), details: { replaces: context.shareSets[s.credential]?.setId } } satisfies StepResult;
    } finally {
      secrets.deleteSecret(oldSecretName(s.id, s.credential));
      secrets.deleteSecret(newSecretName(s.id, s.credential));
    }
  };

  const generateKey: StepActor = async ({ step }) => {
    const s = step as StepOf<'generate-key'>;
    const key = await sessions.loggedIn(s.token).generateKeyPair(s.key.label, keyAlgorithmOf(s.key));
    return { keys: [keyRecord(key, s.token, s.id)] } satisfies StepResult;
  };

  const inspectKey: StepActor = async ({ step, context }) => {
    const s = step as StepOf<'destroy-key'>;
    const token = context.keys[s.key]?.token ?? definition.keys[s.key]!.token;
    const key = sessions.loggedIn(token).findKeyPair(s.key);
    if (!key) throw new KeyceremonyError(`step ${s.id}: there is no key "${s.key}" on token "${token}"`, { code: 'hsm.key-not-found', hint: 'check the token with `keyceremony hsm info`; record an exception if the key is already gone' });
    return { label: key.label, token, spkiSha256: key.fingerprint.sha256, words: key.fingerprint.words, algorithm: describeAlgorithm(key.algorithm), uri: key.uri, id: key.id };
  };

  const destroyKey: StepActor = async ({ step, context }) => {
    const s = step as StepOf<'destroy-key'>;
    const inspected = context.prepared as { token: string; spkiSha256: string; words: string };
    const session = sessions.loggedIn(inspected.token);
    const now = session.findKeyPair(s.key);
    if (!now || now.fingerprint.sha256 !== inspected.spkiSha256) {
      throw new KeyceremonyError(`step ${s.id}: the key "${s.key}" on the token is not the one the witnesses confirmed`, { code: 'destroy.changed', hint: 'stop and investigate; nothing was destroyed' });
    }
    session.destroyKeyPair(s.key);
    const gone = session.findKeyPair(s.key) === undefined;
    if (!gone) throw new KeyceremonyError(`step ${s.id}: key "${s.key}" is still on the token after destruction`, { code: 'destroy.survived' });
    return { destroyedKeys: [s.key], details: { spkiSha256: inspected.spkiSha256, words: inspected.words, provenGone: true } } satisfies StepResult;
  };

  // The certificate steps load src/x509 (and @peculiar/x509) on first use only: a ceremony
  // without them, and the terminal UI's first frame, do not pay for it.
  let certificates: Promise<Record<string, StepActor>> | undefined;
  const certificate = (name: string): StepActor => async (input) => {
    certificates ??= import('./certificate-actors.js').then((m) => m.certificateActors(deps));
    return (await certificates)[name]!(input);
  };
  const effects: Record<string, StepActor> = {
    unlock,
    lock,
    prepareShareSets,
    initToken,
    setUserPin,
    rotateCredential,
    generateKey,
    inspectKey,
    destroyKey,
    ...Object.fromEntries(['createCsr', 'describeIssuance', 'selfSign', 'issueCertificate', 'issueCrl', 'checkCertificate', 'acceptCertificate'].map((name) => [name, certificate(name)])),
  };
  return Object.fromEntries(Object.entries(effects).map(([name, run]) => [name, fromPromise<unknown, StepActorInput>(({ input }) => run(input))])) as Record<ActorName, ReturnType<typeof fromPromise<unknown, StepActorInput>>>;
}
