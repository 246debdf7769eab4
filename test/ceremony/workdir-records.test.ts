// What resume checks against the journal, piece by piece: the header it needs, the recorded
// files (X.509 profile copies, inputs, outputs), state.json's identity and status, and the
// bytes of a share-set manifest. The whole resume is exercised on SoftHSM in
// test/reliability/trust-boundary.test.ts.
import t from 'tap';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createActor, fromPromise } from 'xstate';
import { compileCeremony } from '../../src/ceremony/compile.js';
import { readHeader, type JournalHeader } from '../../src/ceremony/journal-header.js';
import { manifestFor } from '../../src/ceremony/manifests.js';
import type { Distribution, JournalIntent } from '../../src/ceremony/types.js';
import { checkRecordedFiles, checkSavedState } from '../../src/ceremony/workdir-checks.js';
import type { SavedState } from '../../src/ceremony/workdir.js';
import { loadDefinition } from '../../src/definition/loader.js';
import { InputError } from '../../src/errors.js';
import type { JournalRecord } from '../../src/journal/record.js';
import { newSecret, serializeManifest, split } from '../../src/quorum/index.js';
import { caught } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'kc-records-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const record = (seq: number, event: string, data: Record<string, unknown>, step: string | null = null): JournalRecord => ({
  seq,
  time: '',
  step,
  event,
  who: [],
  data,
  prev: '',
  hash: '',
});

t.test('a header without what resume checks is refused as the work of an older keyceremony', async (t) => {
  const complete = {
    ceremony: 'x',
    definition: { sha256: 'a'.repeat(64), file: 'x.yaml' },
    tool: { name: 'keyceremony', version: '0.1.0' },
    hsm: {
      module: { path: '/m.so', sha256: 'b'.repeat(64) },
      profile: { file: 'p.yaml', sha256: 'c'.repeat(64), dryRun: true },
      tokens: { hca: { label: 'HCA' } },
    },
  };
  const header = readHeader(record(1, 'ceremony.opened', complete), 'journal.jsonl');
  t.same(header.inputs, {}, 'inputs default to none');
  const old = { ...complete, hsm: { ...complete.hsm, module: { path: '/m.so' } } };
  const refused = await caught(() => readHeader(record(1, 'ceremony.opened', old), '/w/journal.jsonl'));
  t.type(refused, InputError);
  t.equal(
    refused.message,
    '/w/journal.jsonl: the header (record 1) has no usable hsm.module.sha256: it was written by an older keyceremony, which did not record what resume now checks',
  );
});

t.test('a header with a key keyceremony does not write, or a fact of the wrong kind, is refused saying so', async (t) => {
  const header = {
    ceremony: 'x',
    definition: { sha256: 'a'.repeat(64), file: 'x.yaml' },
    tool: { name: 'keyceremony', version: '0.1.0' },
    hsm: {
      module: { path: '/m.so', sha256: 'b'.repeat(64) },
      profile: { file: 'p.yaml', sha256: 'c'.repeat(64), dryRun: true },
      tokens: { hca: { label: 'HCA' } },
    },
  };
  const extra = { ...header, hsm: { ...header.hsm, profile: { ...header.hsm.profile, skipChecks: true } } };
  const unknown = await caught(() => readHeader(record(1, 'ceremony.opened', extra), '/w/journal.jsonl'));
  t.type(unknown, InputError);
  t.equal(unknown.message, '/w/journal.jsonl: the header (record 1) has a key that keyceremony does not write: hsm.profile.skipChecks');
  t.notMatch(unknown.message, /older keyceremony/);
  const wrong = { ...header, hsm: { ...header.hsm, profile: { ...header.hsm.profile, dryRun: 'yes' } } };
  const wrongKind = await caught(() => readHeader(record(1, 'ceremony.opened', wrong), '/w/journal.jsonl'));
  t.equal(
    wrongKind.message,
    '/w/journal.jsonl: the header (record 1) has hsm.profile.dryRun that is not what keyceremony writes: Invalid input: expected boolean, received string',
  );
});

t.test('the recorded files: an X.509 profile copy, an input, an output, each byte for byte', async (t) => {
  const workdir = join(dir, 'files');
  for (const sub of ['profiles', 'inputs', 'outputs']) mkdirSync(join(workdir, sub), { recursive: true });
  writeFileSync(join(workdir, 'profiles', 'sub-ca.yaml'), 'profile');
  writeFileSync(join(workdir, 'inputs', 'csr'), 'csr');
  writeFileSync(join(workdir, 'outputs', 'x.crt'), 'crt');
  const header = {
    profiles: { 'sub-ca': { file: 'sub-ca.yaml', sha256: sha256('profile') } },
    inputs: { csr: { name: 'csr', sha256: sha256('csr') } },
  } as unknown as JournalHeader;
  const outputs = { 'x.crt': { name: 'x.crt', kind: 'certificate' as const, sha256: sha256('crt'), words: '', bytes: 3, step: 'issue' } };
  t.doesNotThrow(() => checkRecordedFiles(workdir, header, outputs));
  for (const [file, recorded] of [
    ['profiles/sub-ca.yaml', sha256('profile')],
    ['inputs/csr', sha256('csr')],
    ['outputs/x.crt', sha256('crt')],
  ] as const) {
    writeFileSync(join(workdir, file), 'changed');
    const refused = await caught(() => checkRecordedFiles(workdir, header, outputs));
    t.equal(refused.message, `${join(workdir, file)}: its SHA-256 is ${sha256('changed')}, but the journal records ${recorded}`);
    t.equal(refused.exitCode, 2);
    rmSync(join(workdir, file));
    t.match((await caught(() => checkRecordedFiles(workdir, header, outputs))).message, `${join(workdir, file)}: its SHA-256 is missing`);
    writeFileSync(join(workdir, file), file.startsWith('profiles') ? 'profile' : file.startsWith('inputs') ? 'csr' : 'crt');
  }
});

t.test("state.json: its ceremony, definition and status are the journal's", async (t) => {
  const definition = loadDefinition(new URL('../fixtures/engine/all-steps.yaml', import.meta.url).pathname);
  const input = { inputs: {}, shareSets: {} };
  const journal: JournalIntent[] = [];
  const machine = compileCeremony(definition).provide({
    actors: { prepareShareSets: fromPromise(async (): Promise<Distribution> => ({ step: '', sets: [] })) },
    actions: { journal: (_: unknown, intent: JournalIntent) => void journal.push(intent) },
  });
  const actor = createActor(machine, { input }).start();
  const records = [record(1, 'ceremony.opened', {}), ...journal.map((j, i) => ({ ...record(i + 2, j.event, j.data, j.step), who: j.who }))];
  const state: SavedState = {
    version: 1,
    ceremony: definition.ceremony,
    definitionSha256: definition.sha256,
    status: 'running',
    journalHead: { seq: records.length, hash: 'd'.repeat(64) },
    savedAt: '',
    snapshot: actor.getPersistedSnapshot(),
  };
  t.doesNotThrow(() => checkSavedState('state.json', state, definition, input, records));
  const cases: Array<[Partial<SavedState>, string]> = [
    [{ ceremony: 'other' }, `state.json: ceremony is other, but the journal records ${definition.ceremony}`],
    [{ definitionSha256: 'e'.repeat(64) }, `state.json: definitionSha256 is ${'e'.repeat(64)}, but the journal records ${definition.sha256}`],
    [{ status: 'completed' }, 'state.json: status is completed, but the journal records running'],
    [{ snapshot: { context: 'nothing' } }, 'state.json: context (at journal record 2) is nothing, but the journal records (a ceremony context)'],
  ];
  for (const [change, message] of cases)
    t.equal((await caught(() => checkSavedState('state.json', { ...state, ...change }, definition, input, records))).message, message);
});

t.test('a share-set manifest is read only as the bytes the journal recorded', async (t) => {
  const workdir = join(dir, 'manifest');
  mkdirSync(join(workdir, 'inputs'), { recursive: true });
  const { manifest } = split(newSecret(), { threshold: 2, of: 3, custodians: ['a', 'b', 'c'], label: 'user-pin' });
  const text = serializeManifest(manifest);
  writeFileSync(join(workdir, 'inputs', 'm'), text);
  const set = { credential: 'user-pin', setId: manifest.setId, threshold: 2, count: 3, custodians: ['a', 'b', 'c'], file: 'inputs/m', sha256: sha256(text) };
  const context = { shareSets: { 'user-pin': set } } as never;
  t.equal(manifestFor(workdir, context, 'user-pin').setId, manifest.setId);
  // The same manifest, only laid out differently: other bytes, refused.
  writeFileSync(join(workdir, 'inputs', 'm'), JSON.stringify(manifest));
  const refused = await caught(() => manifestFor(workdir, context, 'user-pin'));
  t.equal(
    refused.message,
    `the manifest ${join(workdir, 'inputs', 'm')} has SHA-256 ${sha256(JSON.stringify(manifest))}, but the journal records ${sha256(text)}`,
  );
  t.match(refused.hint, 'no share is taken against it');
  rmSync(join(workdir, 'inputs', 'm'));
  t.match((await caught(() => manifestFor(workdir, context, 'user-pin'))).message, `cannot read share-set manifest ${join(workdir, 'inputs', 'm')}: ENOENT`);
});
