// `keyceremony hsm check`: the HSM pre-flight, on SoftHSM and NSS softoken, through the CLI.
// Keys are made (and removed) on the token independently of the check, which then has to
// see them by their public key objects without a login.
import t from 'tap';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyceremony } from '../helpers/cli.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { caught } from '../helpers/errors.js';
import { IMPLEMENTATIONS, type TokenStore } from '../helpers/token-stores.js';
import type { TokenPins } from '../helpers/softhsm.js';
import type { KeyAlgorithm } from '../../src/hsm/types.js';

const ROLES = `roles:
  administrator: { min: 1, title: { en: Administrator, zh-TW: 管理員 } }
  witness: { min: 2, title: { en: Witness, zh-TW: 見證人 } }
  custodian: { min: 3, title: { en: Custodian, zh-TW: 保管人 } }
conflicts: [[administrator, witness], [custodian, witness], [administrator, custodian]]
tokens:
  ca: { title: { en: CA token, zh-TW: 載具 } }
`;

/** Unlock, a new EC key and its CSR, a CSR with a key made earlier, and that key destroyed. */
const KEYS_DEFINITION = `ceremony: check-keys
title: { en: Check keys, zh-TW: 檢查金鑰 }
${ROLES}credentials:
  ca-user-pin: { token: ca, threshold: 3, of: 5 }
inputs:
  ca-user-pin-manifest: { kind: share-manifest, credential: ca-user-pin }
keys:
  OLD: { token: ca, algorithm: EC-P-384 }
steps:
  - { id: sign-in, type: sign-in }
  - { id: unlock, type: unlock, credential: ca-user-pin, by: administrator, witness: witness }
  - { id: keygen, type: generate-key, token: ca, key: { label: NEW, algorithm: EC, curve: P-384 }, by: administrator, witness: witness }
  - { id: csr, type: create-csr, key: NEW, subject: { CN: New }, output: new.csr, by: administrator, witness: witness }
  - { id: csr-old, type: create-csr, key: OLD, hash: SHA-512, subject: { CN: Old }, output: old.csr, by: administrator, witness: witness }
  - { id: destroy, type: destroy-key, key: OLD, by: administrator, witness: witness, witnesses: 2 }
  - { id: lock, type: lock }
  - { id: sign-off, type: sign-off }
`;

const INIT_DEFINITION = `ceremony: check-init
title: { en: Check init, zh-TW: 檢查初始化 }
${ROLES}credentials:
  ca-so-pin: { token: ca, user: so, threshold: 3, of: 5 }
  ca-user-pin: { token: ca, user: user, threshold: 3, of: 5 }
steps:
  - { id: sign-in, type: sign-in }
  - { id: init, type: init-token, token: ca, so: ca-so-pin, user: ca-user-pin, by: administrator, witness: witness }
  - { id: lock, type: lock }
  - { id: sign-off, type: sign-off }
`;

async function makeKey(fx: TokenStore, pins: TokenPins, label: string, algorithm: KeyAlgorithm): Promise<void> {
  const hsm = fx.open();
  try {
    const session = hsm.openSession(pins.label);
    session.login('user', pins.userPin);
    await session.generateKeyPair(label, algorithm);
    session.logout();
    session.close();
  } finally {
    hsm.finalize();
  }
}

function destroyKey(fx: TokenStore, pins: TokenPins, label: string): void {
  const hsm = fx.open();
  try {
    const session = hsm.openSession(pins.label);
    session.login('user', pins.userPin);
    session.destroyKeyPair(label);
    session.logout();
    session.close();
  } finally {
    hsm.finalize();
  }
}

/** The table row of a step (its status and text), by step id. */
const rowOf = (stdout: string, token: string, step: string, text: string) =>
  new RegExp(`^${token}\\s+${step}\\s+(\\S+)\\s+.*${text.replace(/[()[\]]/g, '\\$&')}`, 'm').exec(stdout)?.[1];

for (const { name, store } of IMPLEMENTATIONS) {
  const nss = name === 'NSS softoken';

  t.test(`${name}: keys to be made are free, keys to be used are there, signing mechanisms per hash`, async (t) => {
    const fx = store(t);
    const pins = fx.initToken('CHECK-CA');
    await makeKey(fx, pins, 'OLD', { type: 'EC', curve: 'P-384' });
    const definition = join(fx.dir, 'keys.yaml');
    writeFileSync(definition, KEYS_DEFINITION);
    const profile = fx.profile({ ca: 'CHECK-CA' });
    const env = 'env' in fx ? (fx as { env: NodeJS.ProcessEnv }).env : process.env;

    // The real executable once; the other commands here run in-process (helpers/in-process.ts).
    const ok = await keyceremony(['hsm', 'check', definition, '--hsm', profile, '--lang', 'en'], { env });
    t.equal(ok.code, 0, ok.stderr + ok.stdout);
    t.match(ok.stdout, /SHA-256 [0-9a-f]{64} \(not pinned in the profile\)/);
    t.equal(rowOf(ok.stdout, 'ca', '-', 'token label "CHECK-CA"'), 'ok');
    if (nss) t.match(ok.stdout, 'serial 0000000000000000 (not unique on this module: found by label only)');
    t.equal(rowOf(ok.stdout, 'ca', 'keygen', 'key label "NEW": free (public key object, without a login)'), 'ok');
    t.equal(rowOf(ok.stdout, 'ca', 'keygen', 'CKM_EC_KEY_PAIR_GEN for EC P-384'), 'ok');
    t.equal(rowOf(ok.stdout, 'ca', 'csr', nss ? 'sign with "NEW": CKM_ECDSA_SHA384' : 'sign with "NEW": CKM_ECDSA (SHA-384 hashed by keyceremony)'), 'ok');
    t.equal(rowOf(ok.stdout, 'ca', 'csr-old', nss ? 'sign with "OLD": CKM_ECDSA_SHA512' : 'sign with "OLD": CKM_ECDSA (SHA-512 hashed by keyceremony)'), 'ok');
    t.equal(rowOf(ok.stdout, 'ca', 'destroy', 'key "OLD": present'), 'ok');
    t.match(ok.stdout, 'the HSM has what this ceremony needs');

    // The new label taken, the old key gone: both refused, exit 1.
    await makeKey(fx, pins, 'NEW', { type: 'RSA', bits: 2048 });
    destroyKey(fx, pins, 'OLD');
    const bad = await keyceremonyInProcess(['hsm', 'check', definition, '--hsm', profile, '--lang', 'zh-TW'], { env });
    t.equal(bad.code, 1, bad.stderr + bad.stdout);
    t.equal(rowOf(bad.stdout, 'ca', 'keygen', '金鑰標籤「NEW」：已存在'), '不符');
    t.equal(rowOf(bad.stdout, 'ca', 'destroy', '金鑰「OLD」：找不到'), '不符');
    t.match(bad.stdout, '3 項不符：儀式將被拒絕', 'NEW taken; OLD missing for the CSR and for destroy');
  });

  t.test(`${name}: a ceremony that initialises the token`, async (t) => {
    const fx = store(t);
    fx.initToken('OTHER');
    const definition = join(fx.dir, 'init.yaml');
    writeFileSync(definition, INIT_DEFINITION);
    const profile = fx.profile({ ca: 'NEW-CA' });
    const env = 'env' in fx ? (fx as { env: NodeJS.ProcessEnv }).env : process.env;
    const result = await keyceremonyInProcess(['hsm', 'check', definition, '--hsm', profile, '--lang', 'en'], { env });
    if (!nss) {
      t.equal(result.code, 0, result.stderr + result.stdout);
      t.equal(rowOf(result.stdout, 'ca', 'init', 'a blank token for label "NEW-CA"'), 'ok');
      t.equal(rowOf(result.stdout, 'ca', 'init', 'an SO PIN'), 'ok');
      return;
    }
    // NSS softoken: the module labels blank tokens itself (none is labelled NEW-CA here), it has
    // no SO PIN, and no public data objects (a warning: the definitions must pin the set).
    t.equal(result.code, 1, result.stderr + result.stdout);
    t.equal(rowOf(result.stdout, 'ca', 'init', 'no blank token labelled "NEW-CA" (this module labels blank tokens itself: initTokenLabel: false)'), 'MISSING');
    t.equal(rowOf(result.stdout, 'ca', 'init', 'an SO PIN (an SO PIN that keyceremony sets and logs in with): the HSM profile says soPin: false'), 'MISSING');
    t.equal(
      rowOf(
        result.stdout,
        'ca',
        'init',
        'the share set cannot be recorded on the token (dataObjects: false): every definition that uses it must pin its manifest (inputs.<name>.sha256)',
      ),
      'warning',
    );

    // `run` refuses the same before anyone signs in, and leaves the workdir empty.
    const workdir = join(fx.dir, 'work');
    const answers = join(fx.dir, 'init.answers.yaml');
    const custodians = [1, 2, 3, 4, 5].map((i) => `  - { id: c${i}, name: Custodian ${i}, roles: [custodian] }`).join('\n');
    writeFileSync(
      answers,
      `ceremony: check-init\nparticipants:\n  - { id: a, name: Admin, roles: [administrator] }\n  - { id: w1, name: Witness 1, roles: [witness] }\n  - { id: w2, name: Witness 2, roles: [witness] }\n${custodians}\nsteps:\n  init: { by: a, witness: w1 }\n`,
    );
    const run = await keyceremonyInProcess(['run', definition, '--hsm', profile, '--workdir', workdir, '--answers', answers, '--lang', 'en'], { env });
    t.equal(run.code, 1, run.stderr);
    t.match(run.stderr, 'keyceremony: error: the HSM cannot carry out this ceremony: ca (step init): no blank token labelled "NEW-CA"');
    t.match(run.stderr, 'keyceremony: hint: run `keyceremony hsm check <definition> --hsm');
    t.notOk(existsSync(join(workdir, 'journal.jsonl')), 'no journal: nobody signed in');
  });
}

t.test('a token that is not there, a pinned module, bad usage', async (t) => {
  const fx = IMPLEMENTATIONS[0]!.store(t);
  fx.initToken('PRESENT');
  const definition = join(fx.dir, 'keys.yaml');
  writeFileSync(definition, KEYS_DEFINITION);
  const env = (fx as unknown as { env: NodeJS.ProcessEnv }).env;
  const absent = await keyceremonyInProcess(['hsm', 'check', definition, '--hsm', fx.profile({ ca: 'ABSENT' }), '--lang', 'en'], { env });
  t.equal(absent.code, 1);
  t.equal(rowOf(absent.stdout, 'ca', '-', 'token label "ABSENT": not present'), 'MISSING');

  // One wrong user PIN: the token says the count is low, and the check shows a warning row.
  const hsm = fx.open();
  const session = hsm.openSession('PRESENT');
  await caught(() => session.login('user', Buffer.from('wrong-pin-1234')));
  session.close();
  hsm.finalize();
  const warned = await keyceremonyInProcess(['hsm', 'check', definition, '--hsm', fx.profile({ ca: 'PRESENT' }), '--lang', 'en'], { env });
  t.equal(rowOf(warned.stdout, 'ca', '-', 'user PIN: count low'), 'warning', warned.stdout);

  const noHsm = await keyceremonyInProcess(['hsm', 'check', definition], { env });
  t.equal(noHsm.code, 2);
  t.match(noHsm.stderr, 'keyceremony: error: hsm check: --hsm is required');
  const noDefinition = await keyceremonyInProcess(['hsm', 'check', '--hsm', fx.profile({ ca: 'PRESENT' })], { env });
  t.equal(noDefinition.code, 2);
  t.match(noDefinition.stderr, 'hsm check: expected <definition.yaml>');
  const badLang = await keyceremonyInProcess(['hsm', 'check', definition, '--hsm', fx.profile({ ca: 'PRESENT' }), '--lang', 'fr'], { env });
  t.equal(badLang.code, 2);
  const wrongPin = join(fx.dir, 'pinned.yaml');
  writeFileSync(wrongPin, `module: ${fx.modulePath}\nmoduleSha256: "${'0'.repeat(64)}"\ndryRun: true\ntokens:\n  ca: { label: PRESENT }\n`);
  const pinned = await keyceremonyInProcess(['hsm', 'check', definition, '--hsm', wrongPin], { env });
  t.equal(pinned.code, 2, pinned.stderr);
  t.match(pinned.stderr, 'moduleSha256');
});
