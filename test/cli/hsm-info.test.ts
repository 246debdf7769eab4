// Issue 14, finding 12: `hsm info` said NOT PRESENT where two tokens carry the profile's
// label (which `run` rightly refuses as ambiguous). Two SoftHSM tokens are given one label
// with C_InitToken on two free slots — Pkcs11Hsm.initToken itself refuses a label that
// exists, so this goes through pkcs11js directly — and pkcs11-tool confirms both are there.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { padLabel } from '../../src/hsm/pkcs11-hsm.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { randomPin, run, softhsm } from '../helpers/softhsm.js';

const fx = softhsm(t);
const LABEL = 'TWIN-DRYRUN';

/** C_InitToken on the first slot whose token is not initialised; SoftHSM then adds a new free slot. */
function initOnFreeSlot(label: string): void {
  const lib = new pkcs11js.PKCS11();
  lib.load(fx.modulePath);
  lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  try {
    const free = lib.C_GetSlotList(true).find((slot) => (lib.C_GetTokenInfo(slot).flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0);
    if (!free) throw new Error('no free slot');
    lib.C_InitToken(free, randomPin().toString('utf8'), padLabel(label));
  } finally {
    lib.C_Finalize();
    lib.close();
  }
}

initOnFreeSlot(LABEL);
initOnFreeSlot(LABEL);

const listed = await run('pkcs11-tool', ['--module', fx.modulePath, '--list-token-slots'], { env: fx.env });
const serials = [...listed.stdout.matchAll(/token label\s*:\s*(\S+)[\s\S]*?serial num\s*:\s*(\S+)/g)].filter((m) => m[1] === LABEL).map((m) => m[2]!);

t.test('pkcs11-tool sees two tokens with the same label', async (t) => {
  t.equal(serials.length, 2, listed.stdout);
  t.not(serials[0], serials[1], 'with different serials');
});

t.test('hsm info reports the label collision as a collision, naming both serials', async (t) => {
  const result = await keyceremonyInProcess(['hsm', 'info', '--hsm', fx.profile({ twin: LABEL })], { env: fx.env });
  t.equal(result.code, 2, result.stderr);
  t.match(result.stdout, `token     twin: label "${LABEL}" COLLISION: 2 tokens have this label (serials `);
  for (const serial of serials) t.match(result.stdout, serial);
  t.notMatch(result.stdout, 'NOT PRESENT');
  t.match(
    result.stderr,
    /^keyceremony: error: hsm info: token "twin" of .*hsm\.yaml: more than one token has the label\nkeyceremony: hint: add the serial of the intended token to the profile/,
  );
});

t.test('with the serial in the profile, the one token meant is found', async (t) => {
  const profile = fx.profile({ twin: LABEL }, { name: 'hsm-serial.yaml' });
  writeFileSync(profile, readFileSync(profile, 'utf8').replace(`{ label: "${LABEL}" }`, `{ label: "${LABEL}", serial: "${serials[1]}" }`));
  const result = await keyceremonyInProcess(['hsm', 'info', '--hsm', profile], { env: fx.env });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, `token     twin: label "${LABEL}", serial ${serials[1]}`);
  t.match(
    result.stdout,
    '          wrapping: CKM_AES_KEY_WRAP_PAD (wrap, unwrap), CKM_AES_KEY_WRAP (wrap, unwrap), CKM_RSA_PKCS_OAEP (wrap, unwrap)\n',
    'the wrapping mechanisms key backup can use (issue 18)',
  );
});

t.test('a label no token has is still NOT PRESENT', async (t) => {
  const result = await keyceremonyInProcess(['hsm', 'info', '--hsm', fx.profile({ absent: 'NO-SUCH-TOKEN' }, { name: 'hsm-absent.yaml' })], { env: fx.env });
  t.equal(result.code, 2);
  t.match(result.stdout, 'token     absent: label "NO-SUCH-TOKEN" NOT PRESENT');
});
