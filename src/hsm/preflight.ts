// The HSM pre-flight: does this HSM, as the profile describes it, have what the definition
// needs (src/steps/hsm-needs.ts)? No login and no PIN: tokens, key labels (public key
// objects, which anyone can see), mechanisms, PIN state flags and the profile's capabilities.
// `keyceremony hsm check` prints the rows; `run` refuses before sign-in when one is missing.
import { resolve } from 'node:path';
import type { Definition } from '../definition/definition.js';
import { hsmNeeds, tokensInitialisedBy, type HsmNeed, type NeededHash } from '../steps/hsm-needs.js';
import { defaultHash } from '../x509/algorithms.js';
import { loadX509Profile, profileHash } from '../x509/profile.js';
import type { Hsm, HsmSession } from './hsm.js';
import { HsmError } from './hsm-error.js';
import { BACKUP_WRAP_MECHANISM, keyPairMechanism } from './key-templates.js';
import { CAPABILITIES, tokenCapabilities, type HsmProfile } from './profile.js';
import { chooseSignMechanism, describeSignMechanism, mechanismName, signMechanismCandidates } from './sign-mechanism.js';
import type { Lang } from '../util/lang.js';
import { padDisplay, widest } from '../util/text-width.js';
import { describeAlgorithm, type HashName, type KeyAlgorithm, type TokenInfo } from './types.js';

export type RowStatus = 'ok' | 'missing' | 'warning';

export interface PreflightRow {
  /** The definition's token name. */
  token: string;
  /** The step that needs it ('' for the token itself). */
  step: string;
  status: RowStatus;
  text: Record<Lang, string>;
}

const both = (en: string, zh: string): Record<Lang, string> => ({ en, 'zh-TW': zh });

const CAPABILITY_TEXT: Record<'initToken' | 'soPin' | 'dataObjects', Record<Lang, string>> = {
  initToken: both(`initialise the token (${CAPABILITIES.initToken})`, '由本工具初始化載具（C_InitToken 設定標籤及SO PIN 碼）'),
  soPin: both(`an SO PIN (${CAPABILITIES.soPin})`, '安全管理者（SO）PIN 碼'),
  dataObjects: both(`record the share set on the token (${CAPABILITIES.dataObjects})`, '於載具記錄分持組（公開資料物件 CKO_DATA）'),
};

function pinWarnings(token: TokenInfo): Record<Lang, string> | undefined {
  const p = token.pin;
  const en: string[] = [];
  const zh: string[] = [];
  const warn = (english: string, chinese: string) => {
    en.push(english);
    zh.push(chinese);
  };
  if (p.userPinLocked) warn('user PIN locked', '使用者 PIN 碼已鎖定');
  else if (p.userPinFinalTry) warn('user PIN: final try', '使用者 PIN 碼：最後一次嘗試');
  else if (p.userPinCountLow) warn('user PIN: count low', '使用者 PIN 碼：剩餘次數偏低');
  if (p.soPinLocked) warn('SO PIN locked', 'SO PIN 碼已鎖定');
  else if (p.soPinFinalTry) warn('SO PIN: final try', 'SO PIN 碼：最後一次嘗試');
  else if (p.soPinCountLow) warn('SO PIN: count low', 'SO PIN 碼：剩餘次數偏低');
  return en.length === 0 ? undefined : both(en.join(', '), zh.join('、'));
}

/** The hash a signing step will use, or why it cannot be known. */
function hashFor(definition: Definition, needed: NeededHash, algorithm: KeyAlgorithm): HashName {
  if ('hash' in needed) return needed.hash;
  if ('defaultFor' in needed) return defaultHash(algorithm);
  const file = definition.profiles[needed.x509Profile];
  if (file === undefined) throw new Error(`X.509 profile ${needed.x509Profile} is not in the definition (the definition checks should have refused this)`);
  return profileHash(loadX509Profile(resolve(definition.dir, file)), algorithm);
}

/** Checks every need of the definition against the HSM and the profile. */
export function preflight(definition: Definition, profile: HsmProfile, hsm: Hsm): PreflightRow[] {
  const rows: PreflightRow[] = [];
  const present = new Map<string, TokenInfo | undefined>();
  const sessions = new Map<string, HsmSession>();
  const row = (need: HsmNeed, status: RowStatus, text: Record<Lang, string>) => {
    // Two credentials of one step can need the same thing: one row says it.
    if (!rows.some((r) => r.token === need.token && r.step === need.step && r.text.en === text.en))
      rows.push({ token: need.token, step: need.step, status, text });
  };
  const tokenOf = (name: string): TokenInfo | undefined => {
    if (!present.has(name)) {
      const ref = profile.tokens[name];
      present.set(
        name,
        ref ? hsm.tokens().find((t) => t.initialized && t.label === ref.label && (ref.serial === undefined || t.serial === ref.serial)) : undefined,
      );
    }
    return present.get(name);
  };
  // Keys are private objects; their public halves are not, so labels are looked up without a login.
  const sessionOf = (name: string, token: TokenInfo): HsmSession => {
    let session = sessions.get(name);
    if (!session) sessions.set(name, (session = hsm.openSession(token.label, profile.tokens[name]?.serial)));
    return session;
  };
  const initialisedHere = tokensInitialisedBy(definition);
  try {
    for (const need of hsmNeeds(definition)) {
      const ref = profile.tokens[need.token];
      if (!ref) {
        if (need.kind === 'token' || need.kind === 'blank-token')
          row(need, 'missing', both(`the HSM profile has no token "${need.token}"`, `HSM設定檔沒有載具「${need.token}」`));
        continue;
      }
      const token = tokenOf(need.token);
      const capabilities = tokenCapabilities(profile, need.token);
      switch (need.kind) {
        case 'token': {
          if (!token) {
            row(
              need,
              'missing',
              both(
                `token label "${ref.label}"${ref.serial ? ` serial ${ref.serial}` : ''}: not present`,
                `載具標籤「${ref.label}」${ref.serial ? `序號 ${ref.serial}` : ''}：不存在`,
              ),
            );
            break;
          }
          const serial = capabilities.uniqueSerials ? `serial ${token.serial}` : `serial ${token.serial} (not unique on this module: found by label only)`;
          const serialZh = capabilities.uniqueSerials ? `序號 ${token.serial}` : `序號 ${token.serial}（此模組序號不唯一：僅以標籤辨識）`;
          row(
            need,
            'ok',
            both(
              `token label "${token.label}", ${serial}, ${token.manufacturer} ${token.model}`,
              `載具標籤「${token.label}」，${serialZh}，${token.manufacturer} ${token.model}`,
            ),
          );
          const warnings = pinWarnings(token);
          // A warning, not a refusal: a locked PIN is met at the unlock step, where the witnesses
          // record the vendor's unblock procedure as an exception and the ceremony resumes.
          if (warnings) row(need, 'warning', warnings);
          break;
        }
        case 'blank-token': {
          if (token)
            row(
              need,
              'missing',
              both(`token label "${ref.label}" already exists; this ceremony initialises it`, `載具標籤「${ref.label}」已存在；本儀式將初始化此載具`),
            );
          else if (capabilities.initToken && !capabilities.initTokenLabel && !hsm.tokens().some((t) => !t.initialized && t.label === ref.label)) {
            // NSS softoken: the module's configuration labels the blank token (HSM.md).
            row(
              need,
              'missing',
              both(
                `no blank token labelled "${ref.label}" (this module labels blank tokens itself: initTokenLabel: false)`,
                `沒有標籤為「${ref.label}」之空白載具（此模組自行設定空白載具之標籤：initTokenLabel: false）`,
              ),
            );
          } else if (capabilities.initToken && !hsm.tokens().some((t) => !t.initialized))
            row(need, 'missing', both('no blank token to initialise', '沒有可初始化之空白載具'));
          else if (capabilities.initToken) row(need, 'ok', both(`a blank token for label "${ref.label}"`, `可供標籤「${ref.label}」之空白載具`));
          break;
        }
        case 'no-so-pin':
          row(
            need,
            capabilities.soPin ? 'missing' : 'ok',
            capabilities.soPin
              ? both(
                  'no SO PIN is split, but the token has one (soPin: true): it would be a PIN nobody holds; name an SO credential (so:) in the init-token step',
                  '未分持SO PIN 碼，但此載具有SO PIN 碼（soPin: true）：將成為無人持有之 PIN 碼；請於 init-token 步驟指定SO憑證（so:）',
                )
              : both('no SO PIN: the token has none (soPin: false)', '無SO PIN 碼：此載具沒有SO PIN 碼（soPin: false）'),
          );
          break;
        case 'capability':
          if (need.capability === 'dataObjects' && !capabilities.dataObjects) {
            // Not a refusal: the share set is then bound by the definitions that use it (share-binding.ts).
            row(
              need,
              'warning',
              both(
                'the share set cannot be recorded on the token (dataObjects: false): every definition that uses it must pin its manifest (inputs.<name>.sha256)',
                '分持組無法記錄於載具（dataObjects: false）：使用此分持組之每一儀式定義須釘選其清單（inputs.<name>.sha256）',
              ),
            );
            break;
          }
          row(
            need,
            capabilities[need.capability] ? 'ok' : 'missing',
            capabilities[need.capability]
              ? CAPABILITY_TEXT[need.capability]
              : both(
                  `${CAPABILITY_TEXT[need.capability].en}: the HSM profile says ${need.capability}: false`,
                  `${CAPABILITY_TEXT[need.capability]['zh-TW']}：HSM設定檔為 ${need.capability}: false`,
                ),
          );
          break;
        case 'generate': {
          const mechanism = keyPairMechanism(need.algorithm);
          const what = `${mechanismName(mechanism)} for ${describeAlgorithm(need.algorithm)}`;
          const whatZh = `${mechanismName(mechanism)}（${describeAlgorithm(need.algorithm)}）`;
          if (!token) {
            if (!initialisedHere.has(need.token)) break;
            // A token this ceremony initialises: the module's first blank slot tells.
            row(need, 'warning', both(`${what}: not checked (the token does not exist yet)`, `${whatZh}：未檢查（載具尚未存在）`));
            break;
          }
          const supported = hsm.mechanismList(token.label, ref.serial).has(mechanism);
          if (!supported) {
            row(need, 'missing', both(`${what}: not supported`, `${whatZh}：不支援`));
            break;
          }
          const info = hsm.mechanismInfo(token.label, mechanism, ref.serial);
          const size = need.algorithm.type === 'RSA' ? need.algorithm.bits : { 'P-256': 256, 'P-384': 384, 'P-521': 521 }[need.algorithm.curve];
          // Some modules report 0..0 (no limits given); a range that excludes the size is a refusal.
          const fits = info.maxKeySize === 0 || (size >= info.minKeySize && size <= info.maxKeySize);
          row(
            need,
            fits ? 'ok' : 'missing',
            fits
              ? both(what, whatZh)
              : both(
                  `${what}: key size ${size} outside ${info.minKeySize}..${info.maxKeySize}`,
                  `${whatZh}：金鑰長度 ${size} 不在 ${info.minKeySize}..${info.maxKeySize}`,
                ),
          );
          break;
        }
        case 'sign': {
          if (!token || !need.algorithm) break;
          const hash = hashFor(definition, need.hash, need.algorithm);
          const available = hsm.mechanismList(token.label, ref.serial);
          const usable = signMechanismCandidates(need.algorithm, hash).some((m) => available.has(m));
          const chosen = describeSignMechanism(chooseSignMechanism(need.algorithm, hash, available), hash);
          row(
            need,
            usable ? 'ok' : 'missing',
            usable
              ? both(`sign with "${need.key}": ${chosen}`, `以「${need.key}」簽章：${chosen}`)
              : both(`sign with "${need.key}" (${hash}): ${chosen} not supported`, `以「${need.key}」簽章（${hash}）：不支援 ${chosen}`),
          );
          break;
        }
        case 'new-key':
        case 'existing-key': {
          if (!token) break;
          const found = sessionOf(need.token, token).findKeyPair(need.label) !== undefined;
          const fine = need.kind === 'new-key' ? !found : found;
          const en =
            need.kind === 'new-key'
              ? `key label "${need.label}": ${found ? 'already exists' : 'free'}`
              : `key "${need.label}": ${found ? 'present' : 'not found'}`;
          const zh =
            need.kind === 'new-key' ? `金鑰標籤「${need.label}」：${found ? '已存在' : '可使用'}` : `金鑰「${need.label}」：${found ? '存在' : '找不到'}`;
          row(need, fine ? 'ok' : 'missing', both(`${en} (public key object, without a login)`, `${zh}（以公開金鑰物件查詢，未登入）`));
          break;
        }
        case 'wrap': {
          const what = `${BACKUP_WRAP_MECHANISM.name} to ${need.use} keys`;
          const whatZh = `${BACKUP_WRAP_MECHANISM.name}（${need.use === 'wrap' ? '包裝' : '解包'}金鑰）`;
          if (!token) {
            if (initialisedHere.has(need.token))
              row(need, 'warning', both(`${what}: not checked (the token does not exist yet)`, `${whatZh}：未檢查（載具尚未存在）`));
            break;
          }
          const offered = hsm.wrappingMechanisms(token.label, ref.serial).find((m) => m.name === BACKUP_WRAP_MECHANISM.name)?.[need.use] === true;
          row(need, offered ? 'ok' : 'missing', offered ? both(what, whatZh) : both(`${what}: not supported`, `${whatZh}：不支援`));
          break;
        }
      }
    }
  } finally {
    for (const session of sessions.values()) session.close();
  }
  return rows;
}

/** The rows as a table (token, step, status, what), in one language. */
export function preflightTable(rows: PreflightRow[], lang: Lang): string[] {
  const status: Record<RowStatus, Record<Lang, string>> = { ok: both('ok', '符合'), missing: both('MISSING', '不符'), warning: both('warning', '注意') };
  const head = lang === 'en' ? ['token', 'step', 'status', 'what'] : ['載具', '步驟', '結果', '項目'];
  const cells = [head, ...rows.map((r) => [r.token, r.step || '-', status[r.status][lang], r.text[lang]])];
  const widths = [0, 1, 2].map((i) => widest(cells.map((c) => c[i]!)));
  return cells.map((c) => c.map((cell, i) => (i < 3 ? padDisplay(cell, widths[i]! + 2) : cell)).join(''));
}

/** `run`'s refusal: the missing rows, before anyone signs in. */
export function preflightRefusal(rows: PreflightRow[], profileFile: string): HsmError | undefined {
  const missing = rows.filter((r) => r.status === 'missing');
  if (missing.length === 0) return undefined;
  return new HsmError(
    `the HSM cannot carry out this ceremony: ${missing.map((r) => `${r.token}${r.step ? ` (step ${r.step})` : ''}: ${r.text.en}`).join('; ')}`,
    {
      code: 'hsm.preflight',
      says: {
        key: 'hsm.preflight',
        params: { profile: profileFile, missing: missing.map((r) => `${r.token}${r.step ? `（步驟 ${r.step}）` : ''}：${r.text['zh-TW']}`).join('；') },
      },
      hint: `run \`keyceremony hsm check <definition> --hsm ${profileFile}\` for the whole table; HSM.md says what each capability means`,
    },
  );
}
