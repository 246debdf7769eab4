// A ceremony machine for UI tests without an HSM: the fixture definition compiled as the
// runner does, with the real SecretStore, handouts and manifests, and actors that do what
// the real ones do to the context (split shares, write manifests, check the quorum) but
// stand in for the token. Failures can be injected per actor.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor, fromPromise } from 'xstate';
import { compileCeremony, type ActorOutputs, type StepActorInput } from '../../../src/ceremony/compile.js';
import type { ActorName } from '../../../src/steps/actors.js';
import { ShareHandouts } from '../../../src/ceremony/handouts.js';
import { manifestFor } from '../../../src/ceremony/manifests.js';
import { shareCollection } from '../../../src/ceremony/phase.js';
import type { Distribution, FileRecord, ShareSetRecord, StepResult } from '../../../src/ceremony/types.js';
import type { Definition, StepOf } from '../../../src/definition/definition.js';
import { loadDefinition } from '../../../src/definition/loader.js';
import type { KeyceremonyError } from '../../../src/errors.js';
import { newSecret, SecretStore, serializeManifest, split, type ShareSetManifest } from '../../../src/quorum/index.js';
import { fingerprint } from '../../../src/util/fingerprint.js';
import { initTokenCredentials } from '../../../src/steps/init-token/spec.js';
import type { UiSession } from '../../../src/ui/app.js';
import { deviationsOf } from '../../../src/ceremony/deviations.js';
import { Journal } from '../../../src/journal/journal.js';
import type { JournalIntent } from '../../../src/journal/events.js';
import type { JournalRecord } from '../../../src/journal/record.js';

/** The records of a journal file, in order (the test checks the chain with verifyJournal). */
export function journalRecords(file: string): JournalRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JournalRecord);
}

/** The serial every token of a fake ceremony reports. */
export const FAKE_SERIAL = 'FAKE-SERIAL-1';
export const SMALL = new URL('../fixtures/small.yaml', import.meta.url).pathname;

interface Teardown {
  teardown(fn: () => void | Promise<void>): void;
}

export interface FakeCeremony {
  session: UiSession;
  definition: Definition;
  workdir: string;
  /** Make the named actor fail (once) with this error. */
  failNext(actor: string, error: KeyceremonyError): void;
  /** Keep the named actor working (the HSM busy) until the returned function is called. */
  hold(actor: string): () => void;
  stop: { requested: string | undefined };
  /** Shares of the premade sets: credential -> custodian -> share. */
  shares: Record<string, Record<string, string>>;
  /** With `rotated`: the cards of the sets the premade ones replaced (credential -> custodian -> share). */
  oldShares: Record<string, Record<string, string>>;
}

/** What the (fake) describeIssuance actor says will be signed. */
export const DESCRIPTION = [
  'Certificate',
  '  subject       C=TW, O=行政院, CN=醫事憑證管理中心 - G3',
  '  issuer        C=TW, O=行政院, CN=政府憑證總管理中心 - G2',
  '  validity      2025-05-01 to 2045-05-01',
  '  extensions',
  '    1. basicConstraints, critical: CA, path length 0',
].join('\n');

export interface FakeOptions {
  file?: string;
  lang?: 'en' | 'zh-TW';
  /** Share sets made before the ceremony (brought as share-manifest inputs): credential -> custodians. */
  premade?: Record<string, string[]>;
  /** Each premade set replaces an older one (a rotation in an earlier ceremony), whose cards are `oldShares`. */
  rotated?: boolean;
  /** Files brought to the ceremony, as the runner records them. */
  inputs?: Record<string, FileRecord>;
  /** Keep a real hash-chained journal (workdir/journal.jsonl) of what the machine journals; the session's deviations come from it. */
  journal?: boolean;
}

export function fakeCeremony(t: Teardown, options: FakeOptions = {}): FakeCeremony {
  const { file = SMALL, lang = 'en' } = options;
  const definition = loadDefinition(file);
  const workdir = mkdtempSync(join(tmpdir(), 'kc-ui-'));
  mkdirSync(join(workdir, 'outputs'));
  mkdirSync(join(workdir, 'inputs'));
  const premadeShares: Record<string, Record<string, string>> = {};
  const oldShares: Record<string, Record<string, string>> = {};
  const shareSets: Record<string, ShareSetRecord> = {};
  for (const [credential, custodians] of Object.entries(options.premade ?? {})) {
    const spec = definition.credentials[credential]!;
    const shape = { threshold: spec.threshold, of: spec.of, custodians, label: credential };
    const old = options.rotated ? split(newSecret(), shape) : undefined;
    const { shares, manifest } = split(newSecret(), { ...shape, ...(old ? { replaces: old.manifest.setId } : {}) });
    writeFileSync(join(workdir, 'inputs', `${credential}.manifest.json`), serializeManifest(manifest));
    premadeShares[credential] = Object.fromEntries(shares.map((s) => [s.custodian, s.text]));
    if (old) oldShares[credential] = Object.fromEntries(old.shares.map((s) => [s.custodian, s.text]));
    shareSets[credential] = {
      credential,
      setId: manifest.setId,
      threshold: manifest.threshold,
      count: manifest.count,
      custodians,
      file: `inputs/${credential}.manifest.json`,
    };
  }
  t.teardown(() => rmSync(workdir, { recursive: true, force: true }));
  const secrets = new SecretStore();
  const handouts = new ShareHandouts(secrets);
  const pending = new Map<string, ShareSetManifest>();
  const failures = new Map<string, KeyceremonyError>();
  const held = new Map<string, Promise<void>>();

  const actor = <N extends ActorName>(name: N, run: (input: StepActorInput) => Promise<ActorOutputs[N]>) =>
    fromPromise<ActorOutputs[N], StepActorInput>(async ({ input }) => {
      await held.get(name);
      const failure = failures.get(name);
      if (failure) {
        failures.delete(name);
        throw failure;
      }
      return run(input);
    });

  const writeManifest = (step: string, credential: string): { record: ShareSetRecord; file: FileRecord } => {
    const manifest = pending.get(`${step}:${credential}`)!;
    const name = `${credential}.${step}.manifest.json`;
    const text = serializeManifest(manifest);
    writeFileSync(join(workdir, 'outputs', name), text);
    const print = fingerprint(text);
    return {
      record: {
        credential,
        setId: manifest.setId,
        threshold: manifest.threshold,
        count: manifest.count,
        custodians: manifest.shares.map((s) => s.custodian),
        file: `outputs/${name}`,
      },
      file: { name, kind: 'share-manifest', sha256: print.sha256, words: print.words, bytes: text.length, step },
    };
  };

  /** The quorum is combined for real: unlock's work, and the login again after a restart. */
  const login = async ({ step, context, credential }: StepActorInput) => {
    const name = credential ?? (step as StepOf<'unlock'>).credential;
    const spec = definition.credentials[name]!;
    // The quorum is really combined and checked against the manifest's verifier.
    secrets.combine(shareCollection(step.id, name), manifestFor(workdir, context, name), `login:${step.id}`);
    secrets.deleteSecret(`login:${step.id}`);
    return { session: { token: spec.token, userType: spec.user, credential: name, setId: context.shareSets[name]!.setId, step: step.id } } satisfies StepResult;
  };

  const journalFile = join(workdir, 'journal.jsonl');
  const journal = options.journal ? Journal.create(journalFile, { ceremony: definition.ceremony }) : undefined;
  t.teardown(() => journal?.close());
  const machine = compileCeremony(definition).provide({
    actions: { journal: (_: unknown, intent: JournalIntent) => void journal?.append(intent) },
    actors: {
      prepareShareSets: actor('prepareShareSets', async ({ step, context, credentials = [] }) => {
        const sets: Distribution['sets'] = [];
        for (const credential of credentials) {
          const spec = definition.credentials[credential]!;
          const custodians = context.participants.filter((p) => p.roles.includes(spec.custodians)).map((p) => p.id);
          const { shares, manifest } = split(newSecret(), { threshold: spec.threshold, of: spec.of, custodians, label: credential });
          for (const share of shares) handouts.put(step.id, credential, share.custodian, share.text);
          pending.set(`${step.id}:${credential}`, manifest);
          sets.push({ credential, setId: manifest.setId, custodians, confirmed: [] });
        }
        return { step: step.id, sets } satisfies Distribution;
      }),
      'work:init-token': actor('work:init-token', async ({ step }) => {
        const s = step as StepOf<'init-token'>;
        const made = initTokenCredentials(s).map((c) => writeManifest(s.id, c));
        return { shareSets: made.map((m) => m.record), outputs: made.map((m) => m.file) } satisfies StepResult;
      }),
      'work:unlock': actor('work:unlock', (input) => login(input)),
      relogin: actor('relogin', (input) => login(input)),
      'work:generate-key': actor('work:generate-key', async ({ step }) => {
        const s = step as StepOf<'generate-key'>;
        const print = fingerprint(`public key of ${s.key.label}`);
        return {
          keys: [
            {
              label: s.key.label,
              token: s.token,
              id: '01',
              algorithm: { type: 'EC', curve: 'P-256' },
              spkiSha256: print.sha256,
              words: print.words,
              uri: 'pkcs11:object=x',
              step: s.id,
            },
          ],
        } satisfies StepResult;
      }),
      'work:lock': actor('work:lock', async ({ context }) => ({ lockedTokens: Object.keys(context.sessions) }) satisfies StepResult),
      'prepare:issue-certificate': actor('prepare:issue-certificate', async () => ({ text: DESCRIPTION })),
      // A record field declared as a token's serial (hsmSerial): every token reports FAKE-SERIAL-1.
      'prepare:record': actor('prepare:record', async () => ({
        tokenSerials: Object.fromEntries(Object.keys(definition.tokens).map((token) => [token, FAKE_SERIAL])),
      })),
      'work:issue-certificate': actor('work:issue-certificate', async ({ step }) => {
        const s = step as StepOf<'issue-certificate'>;
        const print = fingerprint(`certificate ${s.output}`);
        return { outputs: [{ name: s.output, kind: 'certificate', sha256: print.sha256, words: print.words, bytes: 1500, step: s.id }] } satisfies StepResult;
      }),
    },
  });
  const ceremony = createActor(machine, { input: { inputs: options.inputs ?? {}, shareSets } });
  ceremony.start();
  t.teardown(() => {
    ceremony.stop();
    secrets.clear();
  });
  const stop = { requested: undefined as string | undefined };
  return {
    session: {
      actor: ceremony,
      definition,
      secrets,
      handouts,
      workdir,
      lang,
      stopRequested: () => stop.requested,
      ...(journal ? { deviations: () => deviationsOf(journalRecords(journalFile)) } : {}),
    },
    definition,
    workdir,
    failNext: (name, error) => failures.set(name, error),
    hold: (name) => {
      let release!: () => void;
      held.set(name, new Promise<void>((resolve) => (release = resolve)));
      return () => {
        held.delete(name);
        release();
      };
    },
    stop,
    shares: premadeShares,
    oldShares,
  };
}
