// The token's share-set records as a chain (share-binding.ts), on a SoftHSM token: rotations
// follow one another with the old set's key; a record added by someone without that key,
// a second first record or a fork after a rotated record is refused, naming the records.
import t, { type Test } from 'tap';
import { createHash, createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bindShareSet, bindingLabel, currentBinding } from '../../src/ceremony/share-binding.js';
import { InputError } from '../../src/errors.js';
import { canonicalJson } from '../../src/journal/canonical-json.js';
import { newSecret } from '../../src/quorum/index.js';
import { caught } from '../helpers/errors.js';
import { pkcs11Tool, softhsm } from '../helpers/softhsm.js';

const CREDENTIAL = 'test-user-pin';
/** A binding record as the token holds it (JSON), the fields these tests read. */
type BindingRecord = { setId: string; version: number; replaces?: string };
const hex = (text: string) => createHash('sha256').update(text).digest('hex');

async function token(t: Test) {
  const fx = softhsm(t);
  fx.initToken('BIND-TOKEN');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const session = hsm.openSession('BIND-TOKEN');
  t.teardown(() => session.close());
  /** Writes a record as an attacker would: pkcs11-tool, no PIN. */
  const write = async (record: object) => {
    const file = join(fx.dir, `record-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, canonicalJson(record));
    const result = await pkcs11Tool(fx, [
      '--token-label',
      'BIND-TOKEN',
      '--write-object',
      file,
      '--type',
      'data',
      '--label',
      bindingLabel(CREDENTIAL),
      '--application-label',
      'keyceremony',
    ]);
    t.equal(result.code, 0, result.stderr);
  };
  return { session, write };
}

/** Three sets: the first, then two rotations, each signed on by the set before. */
function rotations(session: Parameters<typeof bindShareSet>[0]) {
  const secrets = [newSecret(), newSecret(), newSecret()];
  const ids = ['SETAAAAA', 'SETBBBBB', 'SETCCCCC'];
  bindShareSet(session, CREDENTIAL, { setId: ids[0]!, manifestSha256: hex('a'), secret: Buffer.from(secrets[0]!) });
  bindShareSet(session, CREDENTIAL, { setId: ids[1]!, manifestSha256: hex('b'), secret: Buffer.from(secrets[1]!), previousSecret: Buffer.from(secrets[0]!) });
  bindShareSet(session, CREDENTIAL, { setId: ids[2]!, manifestSha256: hex('c'), secret: Buffer.from(secrets[2]!), previousSecret: Buffer.from(secrets[1]!) });
  return { secrets, ids };
}

t.test('rotations chain: the last set is the current one, every record stays on the token', async (t) => {
  const { session } = await token(t);
  const { ids } = rotations(session);
  t.equal(session.readPublicData('keyceremony', bindingLabel(CREDENTIAL)).length, 3, 'none can be destroyed');
  t.equal(currentBinding(session, CREDENTIAL)?.setId, ids[2]);
});

t.test('a record after the current one, without its key, is refused', async (t) => {
  const { session, write } = await token(t);
  const { ids } = rotations(session);
  await write({
    format: 'keyceremony-share-set-binding',
    version: 2,
    credential: CREDENTIAL,
    setId: 'EVILEVIL',
    manifestSha256: hex('evil'),
    successorCheck: hex('x'),
    replaces: { setId: ids[2], successorKey: '00'.repeat(32) },
  });
  const error = await caught(() => currentBinding(session, CREDENTIAL));
  t.type(error, InputError);
  t.match(
    error.message,
    `token "BIND-TOKEN" holds records of the share set of ${CREDENTIAL} that no ceremony wrote: set EVILEVIL (manifest SHA-256 ${hex('evil')}) claims to follow set ${ids[2]}`,
  );
});

t.test('a second record after a rotated one, with the key that rotation revealed, is refused as a fork', async (t) => {
  const { session, write } = await token(t);
  const { ids } = rotations(session);
  const records = session.readPublicData('keyceremony', bindingLabel(CREDENTIAL)).map((v) => JSON.parse(v.toString('utf8')) as BindingRecord);
  const revealed = records.find((r) => r.setId === ids[2])!.replaces;
  await write({
    format: 'keyceremony-share-set-binding',
    version: 2,
    credential: CREDENTIAL,
    setId: 'EVILEVIL',
    manifestSha256: hex('evil'),
    successorCheck: hex('x'),
    replaces: revealed,
  });
  const error = await caught(() => currentBinding(session, CREDENTIAL));
  t.match(error.message, `no ceremony wrote: 2 records after set ${ids[1]} (manifest SHA-256 ${hex('b')}):`);
  t.match(error.message, ids[2]);
  t.match(error.message, 'EVILEVIL');
});

t.test('a second first record is refused, naming both', async (t) => {
  const { session, write } = await token(t);
  bindShareSet(session, CREDENTIAL, { setId: 'SETAAAAA', manifestSha256: hex('a'), secret: newSecret() });
  await write({
    format: 'keyceremony-share-set-binding',
    version: 2,
    credential: CREDENTIAL,
    setId: 'EVILEVIL',
    manifestSha256: hex('evil'),
    successorCheck: hex('x'),
  });
  const error = await caught(() => currentBinding(session, CREDENTIAL));
  t.match(
    error.message,
    `no ceremony wrote: 2 first records, set SETAAAAA (manifest SHA-256 ${hex('a')}), set EVILEVIL (manifest SHA-256 ${hex('evil')}), where a chain has one`,
  );
  t.match(error.hint, 'no share is entered and nothing reaches the token');
});

t.test('records that follow each other in a loop beside the chain are refused', async (t) => {
  const { session, write } = await token(t);
  bindShareSet(session, CREDENTIAL, { setId: 'SETAAAAA', manifestSha256: hex('a'), secret: newSecret() });
  const key = (n: string) => createHmac('sha256', 'attacker').update(n).digest('hex');
  await write({
    format: 'keyceremony-share-set-binding',
    version: 2,
    credential: CREDENTIAL,
    setId: 'LOOPONE1',
    manifestSha256: hex('1'),
    successorCheck: hex2(key('2')),
    replaces: { setId: 'LOOPTWO2', successorKey: key('1') },
  });
  await write({
    format: 'keyceremony-share-set-binding',
    version: 2,
    credential: CREDENTIAL,
    setId: 'LOOPTWO2',
    manifestSha256: hex('2'),
    successorCheck: hex2(key('1')),
    replaces: { setId: 'LOOPONE1', successorKey: key('2') },
  });
  const error = await caught(() => currentBinding(session, CREDENTIAL));
  t.match(
    error.message,
    /no ceremony wrote: set LOOP\S+ \(manifest SHA-256 [0-9a-f]{64}\), set LOOP\S+ \(manifest SHA-256 [0-9a-f]{64}\) outside the chain that ends at set SETAAAAA/,
  );
  t.match(error.message, 'LOOPONE1');
  t.match(error.message, 'LOOPTWO2');
});

t.test('a record written before the chain (version 1, destroyable) is replaced by the first link at the next rotation', async (t) => {
  const { session, write } = await token(t);
  await write({ format: 'keyceremony-share-set-binding', version: 1, credential: CREDENTIAL, setId: 'OLDOLDOL', manifestSha256: hex('old') });
  t.equal(currentBinding(session, CREDENTIAL)?.setId, 'OLDOLDOL', 'still read');
  bindShareSet(session, CREDENTIAL, { setId: 'SETBBBBB', manifestSha256: hex('b'), secret: newSecret(), previousSecret: newSecret() });
  const values = session.readPublicData('keyceremony', bindingLabel(CREDENTIAL)).map((v) => JSON.parse(v.toString('utf8')) as BindingRecord);
  t.same(
    values.map((v) => [v.setId, v.version, v.replaces]),
    [['SETBBBBB', 2, undefined]],
    'the old record is gone, the new one starts the chain',
  );
  await write({ format: 'keyceremony-share-set-binding', version: 1, credential: CREDENTIAL, setId: 'EVILEVIL', manifestSha256: hex('evil') });
  t.match((await caught(() => currentBinding(session, CREDENTIAL))).message, 'no ceremony wrote: 2 records, set SETBBBBB');
});

/** SHA-256 of a hex key, as successorCheck is. */
function hex2(key: string): string {
  return createHash('sha256').update(key, 'hex').digest('hex');
}

t.test('a rotation on a token whose chain was spoiled during the ceremony still writes its record, and readers refuse the token', async (t) => {
  const { session, write } = await token(t);
  const first = newSecret();
  bindShareSet(session, CREDENTIAL, { setId: 'SETAAAAA', manifestSha256: hex('a'), secret: Buffer.from(first) });
  await write({
    format: 'keyceremony-share-set-binding',
    version: 2,
    credential: CREDENTIAL,
    setId: 'EVILEVIL',
    manifestSha256: hex('evil'),
    successorCheck: hex('x'),
  });
  bindShareSet(session, CREDENTIAL, { setId: 'SETBBBBB', manifestSha256: hex('b'), secret: newSecret(), previousSecret: first });
  const values = session.readPublicData('keyceremony', bindingLabel(CREDENTIAL)).map((v) => JSON.parse(v.toString('utf8')) as BindingRecord);
  t.same(values.find((v) => v.setId === 'SETBBBBB')?.replaces, undefined, 'written as a first record: the chain it would follow is not trusted');
  t.notOk(
    values.some((v) => v.setId === 'EVILEVIL'),
    'the added record, destroyable as pkcs11-tool writes it, was removed with the version 1 ones',
  );
  t.match((await caught(() => currentBinding(session, CREDENTIAL))).message, 'no ceremony wrote: 2 first records, set SETAAAAA');
});
