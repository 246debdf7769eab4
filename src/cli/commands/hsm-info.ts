// `keyceremony hsm info --hsm <profile> [--lang en|zh-TW]`: what the PKCS#11 module and the
// profile's tokens look like, whether the mechanisms keyceremony needs are there, and which
// wrapping mechanisms each token offers (issue 18). No login, no PIN. The errors on stderr
// stay in English, as every command's do; the listing is in the terminal's language.
import { InputError } from '../../errors.js';
import { HsmError } from '../../hsm/hsm-error.js';
import { loadHsmProfile } from '../../hsm/profile.js';
import type { MechanismSupport, TokenInfo, WrapMechanismSupport } from '../../hsm/types.js';
import type { Lang } from '../../util/lang.js';
import { padDisplay } from '../../util/text-width.js';
import { parseCommandArgs, requireOption } from '../args.js';
import { println, type CliIo } from '../io.js';
import { chooseLang } from '../lang.js';
import { openProfileModule } from '../profile-module.js';

/** Everything the listing says, in both languages. Names from PKCS#11 stay as they are. */
const TEXT = {
  en: {
    heads: { module: 'module', profile: 'profile', token: 'token', other: 'other', blank: 'blank' },
    yes: 'yes',
    no: 'no',
    pinned: ' (as the profile pins)',
    library: (m: { manufacturer: string; description: string; libraryVersion: string; cryptokiVersion: string }) =>
      `${m.manufacturer}, ${m.description}, library ${m.libraryVersion}, Cryptoki ${m.cryptokiVersion}`,
    dryRun: ' (dry run: rehearsal tokens only)',
    collision: (name: string, label: string, count: number, serials: string) =>
      `${name}: label "${label}" COLLISION: ${count} tokens have this label (serials ${serials})`,
    notPresent: (name: string, label: string) => `${name}: label "${label}" NOT PRESENT`,
    token: (name: string, t: TokenInfo) => `${name}: label "${t.label}", serial ${t.serial}, ${t.manufacturer} ${t.model}, firmware ${t.firmware}`,
    pin: (f: (flag: boolean) => string, t: TokenInfo) =>
      `user PIN initialised ${f(t.pin.userPinInitialized)}, count low ${f(t.pin.userPinCountLow)}, final try ${f(t.pin.userPinFinalTry)}, locked ${f(t.pin.userPinLocked)}; ` +
      `SO PIN count low ${f(t.pin.soPinCountLow)}, final try ${f(t.pin.soPinFinalTry)}, locked ${f(t.pin.soPinLocked)}; PIN length ${t.minPinLength}..${t.maxPinLength}`,
    allMechanisms: (count: number) => `mechanisms: all ${count} that keyceremony uses are supported`,
    missingMechanisms: (list: string) => `mechanisms missing: ${list}`,
    noWrapping: 'wrapping: none (this token cannot back up or restore keys)',
    wrapping: (list: string) => `wrapping: ${list}`,
    wrapUse: (m: WrapMechanismSupport) => (m.wrap && m.unwrap ? 'wrap, unwrap' : m.wrap ? 'wrap only' : 'unwrap only'),
    notOffered: (list: string) => `not offered: ${list}`,
    otherToken: (t: TokenInfo) => `label "${t.label}", serial ${t.serial} (not in the profile)`,
    blankTokens: (count: number) => `${count} uninitialised token${count === 1 ? '' : 's'} (available to init-token)`,
    item: (name: string, what: string) => `${name} (${what})`,
    separator: ', ',
  },
  'zh-TW': {
    heads: { module: '模組', profile: '設定檔', token: '載具', other: '其他', blank: '空白' },
    yes: '是',
    no: '否',
    pinned: '（與設定檔 moduleSha256 相符）',
    library: (m: { manufacturer: string; description: string; libraryVersion: string; cryptokiVersion: string }) =>
      `${m.manufacturer}，${m.description}，程式庫版本 ${m.libraryVersion}，Cryptoki ${m.cryptokiVersion}`,
    dryRun: '（演練：僅限演練用載具）',
    collision: (name: string, label: string, count: number, serials: string) => `${name}：標籤「${label}」重複：${count} 個載具使用此標籤（序號 ${serials}）`,
    notPresent: (name: string, label: string) => `${name}：標籤「${label}」不存在`,
    token: (name: string, t: TokenInfo) => `${name}：標籤「${t.label}」，序號 ${t.serial}，${t.manufacturer} ${t.model}，韌體 ${t.firmware}`,
    pin: (f: (flag: boolean) => string, t: TokenInfo) =>
      `使用者 PIN 碼已設定 ${f(t.pin.userPinInitialized)}，剩餘次數偏低 ${f(t.pin.userPinCountLow)}，僅剩最後一次 ${f(t.pin.userPinFinalTry)}，已鎖住 ${f(t.pin.userPinLocked)}；` +
      `安全管理者（SO）PIN 碼剩餘次數偏低 ${f(t.pin.soPinCountLow)}，僅剩最後一次 ${f(t.pin.soPinFinalTry)}，已鎖住 ${f(t.pin.soPinLocked)}；PIN 碼長度 ${t.minPinLength}..${t.maxPinLength}`,
    allMechanisms: (count: number) => `機制：本工具使用的 ${count} 項全部支援`,
    missingMechanisms: (list: string) => `缺少機制：${list}`,
    noWrapping: '金鑰包裝機制：無（此載具無法備份或還原金鑰）',
    wrapping: (list: string) => `金鑰包裝機制：${list}`,
    wrapUse: (m: WrapMechanismSupport) => (m.wrap && m.unwrap ? '包裝、解包' : m.wrap ? '僅包裝' : '僅解包'),
    notOffered: (list: string) => `未提供：${list}`,
    otherToken: (t: TokenInfo) => `標籤「${t.label}」，序號 ${t.serial}（不在設定檔中）`,
    blankTokens: (count: number) => `${count} 個未初始化的載具（可供 init-token 步驟使用）`,
    item: (name: string, what: string) => `${name}（${what}）`,
    separator: '、',
  },
} as const;

/** The column the values start in: the widest heading of either language, plus room. */
const INDENT = 10;

export async function info(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('hsm info', args, { hsm: { type: 'string' }, lang: { type: 'string' } }, []);
  const lang = chooseLang(values.lang, io.env);
  const text = TEXT[lang];
  const line = (head: keyof typeof text.heads | '', value: string) => println(io.stdout, `${padDisplay(head === '' ? '' : text.heads[head], INDENT)}${value}`);
  const profile = loadHsmProfile(requireOption('hsm info', values.hsm, 'hsm'));
  const hsm = openProfileModule(profile);
  try {
    const m = hsm.module;
    line('module', m.path);
    line('', `SHA-256 ${m.sha256}${profile.moduleSha256 ? text.pinned : ''}`);
    line('', text.library(m));
    line('profile', `${profile.file}${profile.dryRun ? text.dryRun : ''}`);
    const missing: string[] = [];
    const ambiguous: string[] = [];
    for (const [name, ref] of Object.entries(profile.tokens)) {
      let token: TokenInfo;
      try {
        token = hsm.findToken(ref.label, ref.serial);
      } catch (error) {
        if (!(error instanceof HsmError)) throw error;
        if (error.code === 'hsm.token-ambiguous') {
          // The tokens are there, but `run` cannot tell which one is meant: not "not present".
          const matching = hsm.tokens().filter((t) => t.initialized && t.label === ref.label && (ref.serial === undefined || t.serial === ref.serial));
          line('token', text.collision(name, ref.label, matching.length, matching.map((t) => t.serial).join(', ')));
          ambiguous.push(name);
        } else {
          line('token', text.notPresent(name, ref.label));
          missing.push(name);
        }
        continue;
      }
      line('token', text.token(name, token));
      line(
        '',
        text.pin((flag) => (flag ? text.yes : text.no), token),
      );
      for (const value of mechanismLines(hsm.mechanisms(token.label, ref.serial), hsm.wrappingMechanisms(token.label, ref.serial), lang)) line('', value);
    }
    const others = hsm.tokens().filter((t) => t.initialized && !Object.values(profile.tokens).some((ref) => ref.label === t.label));
    for (const token of others) line('other', text.otherToken(token));
    const blank = hsm.tokens().filter((t) => !t.initialized).length;
    if (blank > 0) line('blank', text.blankTokens(blank));
    if (ambiguous.length > 0) {
      throw new InputError(
        `hsm info: ${ambiguous.length === 1 ? 'token' : 'tokens'} ${ambiguous.map((n) => `"${n}"`).join(', ')} of ${profile.file}: more than one token has the label`,
        {
          hint: 'add the serial of the intended token to the profile (tokens.<name>.serial), or relabel the other token',
          code: 'hsm.token-ambiguous',
        },
      );
    }
    if (missing.length > 0) {
      throw new InputError(`hsm info: ${missing.length === 1 ? 'token' : 'tokens'} ${missing.map((n) => `"${n}"`).join(', ')} of ${profile.file} not present`, {
        hint: 'check the labels in the profile, that the HSM is connected, and SOFTHSM2_CONF for SoftHSM',
      });
    }
    return 0;
  } finally {
    hsm.finalize();
  }
}

/**
 * A token's mechanisms: those keyceremony signs and generates with, the wrapping mechanisms it
 * offers (key backup and restore need CKM_AES_KEY_WRAP_PAD on both tokens), and the wrapping
 * mechanisms it does not offer, so that "can this HSM import a key wrapped to it?" has an answer.
 */
export function mechanismLines(needed: MechanismSupport[], wrapping: WrapMechanismSupport[], lang: Lang): string[] {
  const text = TEXT[lang];
  const absent = needed.filter((mech) => !mech.supported);
  const offered = wrapping.filter((mech) => mech.wrap || mech.unwrap);
  const notOffered = wrapping.filter((mech) => !mech.wrap && !mech.unwrap);
  return [
    absent.length === 0
      ? text.allMechanisms(needed.length)
      : text.missingMechanisms(absent.map((mech) => text.item(mech.name, mech.needed[lang])).join(text.separator)),
    offered.length === 0 ? text.noWrapping : text.wrapping(offered.map((mech) => text.item(mech.name, text.wrapUse(mech))).join(text.separator)),
    ...(notOffered.length === 0 ? [] : [text.notOffered(notOffered.map((mech) => text.item(mech.name, mech.use[lang])).join(text.separator))]),
  ];
}
