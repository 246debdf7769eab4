// The PKCS#11 module is hashed before it is loaded, and loaded through the very file that
// was hashed; the profile can pin its SHA-256. Public data objects (the share-set records
// on a token) are written non-modifiable, replaced whole, and readable without a login.
import t from 'tap';
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { checkModuleSha256, openModuleFile } from '../../src/hsm/module-file.js';
import { Pkcs11Hsm } from '../../src/hsm/pkcs11-hsm.js';
import { pkcs11 } from '../../src/hsm/pkcs11.js';
import { loadHsmProfile } from '../../src/hsm/profile.js';
import { InputError } from '../../src/errors.js';
import { caught } from '../helpers/errors.js';
import { pkcs11Tool, pkcs11ToolLoggedIn, SOFTHSM_MODULE, softhsm } from '../helpers/softhsm.js';

const moduleSha256 = createHash('sha256').update(readFileSync(SOFTHSM_MODULE)).digest('hex');

t.test('the module file: its SHA-256, its real path, and a refusal for any other hash', async (t) => {
  const file = openModuleFile(SOFTHSM_MODULE);
  t.teardown(() => file.close());
  t.equal(file.sha256, moduleSha256, 'the SHA-256 of the library bytes');
  t.equal(file.bytes, readFileSync(SOFTHSM_MODULE).length);
  t.match(file.loadPath, /^\/proc\/self\/fd\/\d+$/, 'loaded through the open file that was hashed');
  t.doesNotThrow(() => checkModuleSha256(file, moduleSha256, 'the profile'));
  const refused = await caught(() => checkModuleSha256(file, 'ab'.repeat(32), 'moduleSha256 in hsm.yaml'));
  t.type(refused, InputError);
  t.equal(refused.message, `PKCS#11 module ${SOFTHSM_MODULE} has SHA-256 ${moduleSha256}, but moduleSha256 in hsm.yaml says ${'ab'.repeat(32)}`);
  t.match(refused.hint, 'nothing was loaded from it');
  const missing = await caught(() => openModuleFile('/nonexistent/lib.so'));
  t.equal(missing.message, 'PKCS#11 module /nonexistent/lib.so does not exist');
  const folder = await caught(() => openModuleFile('/usr/lib'));
  t.equal(folder.message, 'PKCS#11 module /usr/lib is not a regular file');
});

t.test('the library loaded is the file that was hashed, even if another is renamed over its path', async (t) => {
  const fx = softhsm(t);
  const path = join(fx.dir, 'libpkcs11.so');
  copyFileSync(SOFTHSM_MODULE, path);
  const file = openModuleFile(path);
  t.teardown(() => file.close());
  // After the hash, the path is made to name a different file: not a library at all.
  writeFileSync(join(fx.dir, 'other.so'), 'not a shared library');
  renameSync(join(fx.dir, 'other.so'), path);
  const hsm = Pkcs11Hsm.open(path, { file });
  t.teardown(() => hsm.finalize());
  t.equal(hsm.module.manufacturer, 'SoftHSM', 'SoftHSM, the file that was hashed, was loaded');
  t.equal(hsm.module.sha256, moduleSha256);
  t.equal(hsm.module.path, path, 'the module is named by its path, not the descriptor');
  const byPath = await caught(() => Pkcs11Hsm.open(path));
  t.match(byPath.message, `cannot load PKCS#11 module ${path}`, 'loading by the path now gets the other file');
});

t.test('a profile may pin the module SHA-256; a bad pin is refused with file:line', async (t) => {
  const fx = softhsm(t);
  const good = join(fx.dir, 'pinned.yaml');
  writeFileSync(good, `module: ${SOFTHSM_MODULE}\nmoduleSha256: ${moduleSha256}\ndryRun: false\ntokens: {}\n`);
  const profile = loadHsmProfile(good);
  t.equal(profile.moduleSha256, moduleSha256);
  t.equal(profile.sha256, createHash('sha256').update(readFileSync(good)).digest('hex'), 'the whole-file SHA-256 of the profile');
  t.equal(profile.text, readFileSync(good, 'utf8'));
  const bad = join(fx.dir, 'bad.yaml');
  writeFileSync(bad, `module: ${SOFTHSM_MODULE}\nmoduleSha256: ABC\ndryRun: false\ntokens: {}\n`);
  t.throws(() => loadHsmProfile(bad), new RegExp(`${bad}:2:\\d+: moduleSha256 must be the SHA-256 of the module file as 64 lower-case hex digits`));
});

t.test('public data objects: written neither modifiable nor destroyable, read without a login; only destroyable ones are replaced', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('DATA-TOKEN');
  const tool = (args: string[]) => pkcs11Tool(fx, ['--token-label', 'DATA-TOKEN', ...args]);
  const label = ['--type', 'data', '--label', 'share set test-user-pin', '--application-label', 'keyceremony'];
  // An object written as keyceremony wrote them before CKA_DESTROYABLE (destroyable, the default).
  const older = join(fx.dir, 'older.bin');
  writeFileSync(older, 'older');
  t.equal((await tool(['--write-object', older, ...label])).code, 0);
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  const session = hsm.openSession('DATA-TOKEN');
  session.login('so', pins.soPin);
  session.replacePublicData('keyceremony', 'share set test-user-pin', Buffer.from('first'));
  session.logout();
  session.replacePublicData('keyceremony', 'share set other', Buffer.from('unrelated'));
  t.same(
    session.readPublicData('keyceremony', 'share set test-user-pin').map(String),
    ['first'],
    'readable in a public session; the destroyable older object is gone',
  );
  session.login('user', pins.userPin);
  session.replacePublicData('keyceremony', 'share set test-user-pin', Buffer.from('second'));
  session.logout();
  t.same(
    session.readPublicData('keyceremony', 'share set test-user-pin').map(String).sort(),
    ['first', 'second'],
    'the earlier object stays: it cannot be destroyed',
  );
  t.same(session.readPublicData('keyceremony', 'share set other').map(String), ['unrelated'], 'other labels are left alone');
  session.close();
  // pkcs11-tool, independently: public, not modifiable, and C_DestroyObject refused without a PIN.
  const listed = await tool(['--list-objects', '--type', 'data']);
  t.equal(listed.code, 0, listed.stderr);
  const objects = listed.stdout.split(/^Data object/m).filter((block) => block.includes("label:          'share set test-user-pin'"));
  t.equal(objects.length, 2, 'two objects for the label');
  t.match(objects[0], /application:\s+'keyceremony'/);
  t.match(objects[0], /flags:\s+<empty>/, 'neither modifiable nor private');
  const deleted = await tool(['--delete-object', ...label]);
  t.not(deleted.code, 0, 'not destroyable');
  t.match(deleted.stderr, /\(0x1b\)/, 'CKR_ACTION_PROHIBITED');
  const withPin = await pkcs11ToolLoggedIn(fx, 'DATA-TOKEN', pins.userPin, ['--delete-object', ...label]);
  t.not(withPin.code, 0, 'not destroyable with the user PIN either');
});

t.test('a token that does not know CKA_DESTROYABLE (before PKCS#11 2.40) still gets the record, destroyable', async (t) => {
  const fx = softhsm(t);
  fx.initToken('OLD-TOKEN');
  const hsm = fx.open();
  t.teardown(() => hsm.finalize());
  // The fault SoftHSM cannot produce: C_CreateObject refusing the attribute type.
  const lib = (hsm as unknown as { lib: { C_CreateObject: (session: Buffer, template: { type: number }[]) => Buffer } }).lib;
  const create = lib.C_CreateObject.bind(lib);
  const refused: number[] = [];
  lib.C_CreateObject = (session, template) => {
    if (template.some((a) => a.type === pkcs11.CKA_DESTROYABLE)) {
      refused.push(pkcs11.CKA_DESTROYABLE);
      throw Object.assign(new Error('CKR_ATTRIBUTE_TYPE_INVALID'), { code: pkcs11.CKR_ATTRIBUTE_TYPE_INVALID, method: 'C_CreateObject' });
    }
    return create(session, template);
  };
  const session = hsm.openSession('OLD-TOKEN');
  session.replacePublicData('keyceremony', 'share set test-user-pin', Buffer.from('first'));
  session.close();
  t.same(refused, [pkcs11.CKA_DESTROYABLE], 'tried with CKA_DESTROYABLE first');
  const deleted = await pkcs11Tool(fx, [
    '--token-label',
    'OLD-TOKEN',
    '--delete-object',
    '--type',
    'data',
    '--label',
    'share set test-user-pin',
    '--application-label',
    'keyceremony',
  ]);
  t.equal(deleted.code, 0, 'written without it, and so destroyable: only the definition pin holds on such a token');
});
