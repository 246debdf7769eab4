// Issue 18: `hsm info` lists per token the wrapping mechanisms it offers and those it does not
// (CKM_RSA_AES_KEY_WRAP, wrapping to a recipient, is absent from SoftHSM 2.6.1: SoftHSM.md),
// in English and in Traditional Chinese. On SoftHSM and on NSS softoken through the built CLI,
// checked against the module's own C_GetMechanismInfo flags read through pkcs11js; the cases
// neither module has (no wrapping at all, wrap only) through the pure line builder.
import t from 'tap';
import pkcs11js from 'pkcs11js';
import { mechanismLines } from '../../src/cli/commands/hsm-info.js';
import type { MechanismSupport, WrapMechanismSupport } from '../../src/hsm/types.js';
import { keyceremonyInProcess } from '../helpers/in-process.js';
import { NSS_MODULE, nss } from '../helpers/nss.js';
import { softhsm } from '../helpers/softhsm.js';

const CKM_RSA_AES_KEY_WRAP = 0x1054;
const WRAPPING = {
  CKM_AES_KEY_WRAP_PAD: pkcs11js.CKM_AES_KEY_WRAP_PAD,
  CKM_AES_KEY_WRAP: pkcs11js.CKM_AES_KEY_WRAP,
  CKM_RSA_AES_KEY_WRAP,
  CKM_RSA_PKCS_OAEP: pkcs11js.CKM_RSA_PKCS_OAEP,
};

/** What the module itself says of each wrapping mechanism on the token, without keyceremony. */
function moduleSays(modulePath: string, label: string, libraryParameters?: string): Record<string, string> {
  const lib = new pkcs11js.PKCS11();
  lib.load(modulePath);
  lib.C_Initialize(libraryParameters === undefined ? { flags: pkcs11js.CKF_OS_LOCKING_OK } : { flags: pkcs11js.CKF_OS_LOCKING_OK, libraryParameters });
  try {
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.replace(/[\s\0]+$/, '') === label)!;
    const listed = new Set(lib.C_GetMechanismList(slot));
    return Object.fromEntries(
      Object.entries(WRAPPING).map(([name, type]) => {
        if (!listed.has(type)) return [name, 'absent'];
        const { flags } = lib.C_GetMechanismInfo(slot, type);
        const wrap = (flags & pkcs11js.CKF_WRAP) !== 0;
        const unwrap = (flags & pkcs11js.CKF_UNWRAP) !== 0;
        return [name, wrap && unwrap ? 'wrap, unwrap' : wrap ? 'wrap only' : unwrap ? 'unwrap only' : 'absent'];
      }),
    );
  } finally {
    lib.C_Finalize();
    lib.close();
  }
}

/** The "wrapping:" and "not offered:" lines of `hsm info` as the same kind of record. */
function infoSays(stdout: string): Record<string, string> {
  const said: Record<string, string> = {};
  const wrapping = /^ {10}wrapping: (.*)$/m.exec(stdout)![1]!;
  for (const m of wrapping.matchAll(/(CKM_\w+) \(([^)]*)\)/g)) said[m[1]!] = m[2]!;
  const notOffered = /^ {10}not offered: (.*)$/m.exec(stdout)?.[1] ?? '';
  for (const m of notOffered.matchAll(/(CKM_\w+) \(/g)) said[m[1]!] = 'absent';
  return said;
}

t.test('SoftHSM: the wrapping mechanisms offered and not offered, as the module says', async (t) => {
  const fx = softhsm(t);
  fx.initToken('HCA-DRYRUN');
  const profile = fx.profile({ hca: 'HCA-DRYRUN' });
  const result = await keyceremonyInProcess(['hsm', 'info', '--hsm', profile, '--lang', 'en'], { env: fx.env });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, '          wrapping: CKM_AES_KEY_WRAP_PAD (wrap, unwrap), CKM_AES_KEY_WRAP (wrap, unwrap), CKM_RSA_PKCS_OAEP (wrap, unwrap)\n');
  t.match(
    result.stdout,
    '          not offered: CKM_RSA_AES_KEY_WRAP (wrapping to a recipient RSA public key)\n',
    'the recipient mechanism SoftHSM 2.6.1 lacks',
  );
  t.same(infoSays(result.stdout), moduleSays(fx.modulePath, 'HCA-DRYRUN'), 'the listing is what C_GetMechanismList and C_GetMechanismInfo say');
});

t.test('SoftHSM in Traditional Chinese: --lang zh-TW, and a zh_TW locale without it', async (t) => {
  const fx = softhsm(t);
  const pins = fx.initToken('HCA-DRYRUN');
  const profile = fx.profile({ hca: 'HCA-DRYRUN' });
  const flag = await keyceremonyInProcess(['hsm', 'info', '--hsm', profile, '--lang', 'zh-TW'], { env: fx.env });
  t.equal(flag.code, 0, flag.stderr);
  const out = flag.stdout;
  t.match(out, `模組      ${fx.modulePath}\n`);
  t.match(out, '設定檔    ');
  t.match(out, '（演練：僅限演練用載具）');
  t.match(out, /載具 {6}hca：標籤「HCA-DRYRUN」，序號 [0-9a-f]{16}，SoftHSM project SoftHSM v2，韌體 2\.6/);
  t.match(out, '使用者 PIN 碼已設定 是，剩餘次數偏低 否，僅剩最後一次 否，已鎖住 否；');
  t.match(out, '機制：本工具使用的 6 項全部支援');
  t.match(out, '          金鑰包裝機制：CKM_AES_KEY_WRAP_PAD（包裝、解包）、CKM_AES_KEY_WRAP（包裝、解包）、CKM_RSA_PKCS_OAEP（包裝、解包）\n');
  t.match(out, '          未提供：CKM_RSA_AES_KEY_WRAP（以接收方 RSA 公鑰包裝金鑰）\n');
  t.match(out, /空白 {6}1 個未初始化的載具/);
  t.notMatch(out.replace('init-token', ''), /\b(token|label|serial|wrapping|mechanisms|yes|no)\b/, 'no English words left in the listing (but the step type)');
  t.notMatch(out + flag.stderr, pins.userPin.toString());

  const locale = await keyceremonyInProcess(['hsm', 'info', '--hsm', profile], { env: { ...fx.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_TW.UTF-8' } });
  t.equal(locale.code, 0, locale.stderr);
  t.equal(locale.stdout, out, 'the locale chooses the same listing');
});

t.test('in zh-TW the error leads in Chinese and keeps the English as the original; the listing says why in Chinese', async (t) => {
  const fx = softhsm(t);
  fx.initToken('HCA-DRYRUN');
  const profile = fx.profile({ hca: 'HCA-DRYRUN', root: 'ROOT-DRYRUN' });
  const result = await keyceremonyInProcess(['hsm', 'info', '--hsm', profile, '--lang', 'zh-TW'], { env: fx.env });
  t.equal(result.code, 2);
  t.match(result.stdout, '載具      root：標籤「ROOT-DRYRUN」不存在\n');
  t.match(result.stderr, /^keyceremony: 錯誤：/);
  t.match(result.stderr, `keyceremony:   原文：hsm info: token "root" of ${profile} not present`);
});

t.test('a --lang that is neither en nor zh-TW exits 2', async (t) => {
  const fx = softhsm(t);
  fx.initToken('HCA-DRYRUN');
  const result = await keyceremonyInProcess(['hsm', 'info', '--hsm', fx.profile({ hca: 'HCA-DRYRUN' }), '--lang', 'fr'], { env: fx.env });
  t.equal(result.code, 2);
  t.match(result.stderr, 'keyceremony: error: --lang must be en or zh-TW, not "fr"');
  t.equal(result.stdout, '', 'refused before the module is loaded');
});

t.test('NSS softoken: its wrapping mechanisms, as the module says', async (t) => {
  const fx = nss(t);
  fx.initToken('NSS-HCA');
  const profile = fx.profile({ hca: 'NSS-HCA' });
  const result = await keyceremonyInProcess(['hsm', 'info', '--hsm', profile], { env: { ...fx.env, LANG: 'C' } });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stdout, /token {5}hca: label "NSS-HCA"/);
  t.same(infoSays(result.stdout), moduleSays(NSS_MODULE, 'NSS-HCA', fx.initArgs()), 'the listing is what the module says');
  const zh = await keyceremonyInProcess(['hsm', 'info', '--hsm', profile, '--lang', 'zh-TW'], { env: fx.env });
  t.equal(zh.code, 0, zh.stderr);
  t.match(zh.stdout, /載具 {6}hca：標籤「NSS-HCA」/);
  t.match(zh.stdout, '金鑰包裝機制：');
});

t.test('the lines for what neither module has: no wrapping, wrap only, unwrap only, a missing mechanism', async (t) => {
  const needed: MechanismSupport[] = [
    { name: 'CKM_EC_KEY_PAIR_GEN', needed: { en: 'EC key generation', 'zh-TW': 'EC 金鑰產製' }, supported: true },
    { name: 'CKM_ECDSA', needed: { en: 'ECDSA signing', 'zh-TW': 'ECDSA 簽章' }, supported: false },
  ];
  const mech = (name: string, wrap: boolean, unwrap: boolean): WrapMechanismSupport => ({
    name,
    use: { en: `use of ${name}`, 'zh-TW': `${name} 用途` },
    wrap,
    unwrap,
  });
  t.same(mechanismLines(needed, [mech('CKM_A', false, false), mech('CKM_B', false, false)], 'en'), [
    'mechanisms missing: CKM_ECDSA (ECDSA signing)',
    'wrapping: none (this token cannot back up or restore keys)',
    'not offered: CKM_A (use of CKM_A), CKM_B (use of CKM_B)',
  ]);
  t.same(
    mechanismLines(needed, [mech('CKM_A', true, false), mech('CKM_B', false, true)], 'en'),
    ['mechanisms missing: CKM_ECDSA (ECDSA signing)', 'wrapping: CKM_A (wrap only), CKM_B (unwrap only)'],
    'nothing not offered: no line',
  );
  t.same(mechanismLines(needed, [mech('CKM_A', true, false), mech('CKM_B', false, false)], 'zh-TW'), [
    '缺少機制：CKM_ECDSA（ECDSA 簽章）',
    '金鑰包裝機制：CKM_A（僅包裝）',
    '未提供：CKM_B（CKM_B 用途）',
  ]);
  t.same(mechanismLines([], [], 'zh-TW'), ['機制：本工具使用的 0 項全部支援', '金鑰包裝機制：無（此載具無法備份或還原金鑰）']);
});
