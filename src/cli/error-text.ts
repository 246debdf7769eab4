// What the one top-level catch prints, in the language of --lang (issue 16 item 11): the
// officers at a zh-TW terminal read a refusal before the UI starts (a missing --input, an HSM
// that cannot carry out the ceremony) and a failed step after it exits. An error that says
// which message it is (KeyceremonyError.says) is worded from this catalogue; any other is
// said by its code's sentence, the one the screens and the report say (ui/i18n/problems.ts).
// Where the error keeps the facts its English names (`details`: the file, the line, the
// module), the sentence names them and the English is not repeated; where it keeps none, the
// English it was raised in follows as the original (原文), never dropped: the names and paths
// in it matter.
import type { KeyceremonyError } from '../errors.js';
import { CATALOGUES, hintWords, problemWords, type MessageKey } from '../ui/i18n/index.js';
import { fillChinese, type Params } from '../util/fill.js';
import type { Lang } from '../util/lang.js';

/** The hint of every usage error about one command's options and arguments: its own help. */
const SEE_COMMAND_HELP = '請執行 `keyceremony {command} --help`';

/** zh-TW wording of the errors that say which message they are; the English is the error's own message. */
export const ZH_ERRORS = {
  'usage.unknownOption': { message: '{command}：沒有 {option} 這個選項', hint: SEE_COMMAND_HELP },
  'usage.optionValue': { message: '{command}：{option} 之後須接一個值', hint: SEE_COMMAND_HELP },
  'usage.positionals': { message: '{command}：須給 {expected}，卻給了 {got} 個引數', hint: SEE_COMMAND_HELP },
  'usage.noPositionals': { message: '{command}：不接受引數，卻給了 {got} 個', hint: SEE_COMMAND_HELP },
  'usage.required': { message: '{command}：須給 --{name}', hint: SEE_COMMAND_HELP },
  'usage.lang': { message: '--lang 只能是 en 或 zh-TW，不能是「{value}」', hint: '繁體中文請用 --lang zh-TW' },
  'usage.command': { message: '沒有「{name}」這個指令', hint: '請執行 `keyceremony --help` 查看指令清單' },
  'usage.noTerminalRun': {
    message: '{command}：沒有 --answers 回答檔，也沒有終端機可詢問儀式現場人員',
    hint: '演練時請以 --answers <檔案> 提供回答，或於終端機上執行',
  },
  'usage.noTerminalResume': {
    message: '{command}：沒有 --answers 回答檔，也沒有終端機可詢問儀式現場人員',
    hint: '請以 --answers <檔案> 提供回答，或於終端機上續行',
  },
  'input.pair': { message: 'run：--input 須為「名稱=路徑」，不能是「{value}」', hint: '例如 --input hca-g3-csr=/media/usb/hca-g3.csr' },
  'input.missing': { message: '未提供輸入 {name}（{title}）', hint: '請於回答檔加入 inputs.{name}: <檔案>，或加上 --input {name}=<檔案>' },
  'input.unknown': { message: '{ceremony} 未宣告輸入 {name}', hint: '已宣告的輸入：{declared}' },
  'hsm.preflight': {
    message: 'HSM 無法執行本儀式：{missing}',
    hint: '執行 `keyceremony hsm check <定義檔> --hsm {profile}` 可看完整檢查表；各項能力的意義見 HSM.md',
  },
  'hsm.softwareToken': {
    message: 'HSM 設定檔 {profile} 不是演練，但其模組為軟體載具（{device}），不是硬體安全模組：本儀式的金鑰將是這部電腦上的檔案',
    hint: '演練請使用 dryRun: true 的 HSM 設定檔；若確要在軟體載具上進行正式儀式（如測試用 CA），請加上 --allow-software-token 重新執行，每個畫面及報告都會註明',
  },
  'workdir.notEmpty': {
    message: '工作目錄 {dir} 不是空的',
    hint: '每場儀式須使用新的空工作目錄；繼續中斷的儀式請執行 `keyceremony resume <工作目錄>`',
  },
  'process.coreDumps': {
    message: '{why}：程序若當機，記憶體中的 PIN 碼及分持碼會寫入磁碟',
    hint: '請先在此 shell 執行 `ulimit -c 0`（關閉核心傾印：同時設定軟性及硬性上限），再重新啟動 keyceremony',
  },
  'report.exists': { message: 'report：{file} 已存在', hint: '報告一律不覆寫；請以 --out 指定新的檔名' },
  'failed-step': {
    message: '{step}失敗：{problem}',
    hint: '{fix}失敗已記錄，狀態已保存；排除原因後請執行 `keyceremony resume {workdir}`',
  },
} as const satisfies Record<string, { message: string; hint: string }>;

export type ErrorKey = keyof typeof ZH_ERRORS;

/** The `says` of an error worded by this catalogue. */
export function says(key: ErrorKey, params: Params): { key: ErrorKey; params: Params } {
  return { key, params };
}

const PREFIX = {
  en: { error: 'keyceremony: error: ', hint: 'keyceremony: hint: ', original: 'keyceremony:   ' },
  'zh-TW': { error: 'keyceremony: 錯誤：', hint: 'keyceremony: 提示：', original: 'keyceremony:   原文：' },
} as const;

function catalogued(key: string): MessageKey | undefined {
  return key in CATALOGUES.en ? (key as MessageKey) : undefined;
}

/** A code's gist in Chinese, from the UI's catalogue (code.*), as the screens show it. */
export function codeGist(code: string | undefined): string | undefined {
  const key = code ? catalogued(`code.${code}`) : undefined;
  return key ? CATALOGUES['zh-TW'][key] : undefined;
}

/** An engine hint in Chinese where the catalogue words it (fix.* word for word, or by its code), else undefined. */
export function hintGist(code: string | undefined, hint: string | undefined): string | undefined {
  return hintWords('zh-TW', { code, hint });
}

/** The sentence of a problem in Chinese, and whether it names the facts the English does (kept in `details`). */
function sentenceOf(problem: { code?: string | undefined; details?: Params | undefined }): { said: string | undefined; whole: boolean } {
  const said = problemWords('zh-TW', problem);
  return { said, whole: said !== undefined && problem.details !== undefined && Object.keys(problem.details).length > 0 };
}

/**
 * A failed step's problem and hint as the failure screen words them: the code's sentence, with
 * the engine's English beside it as the original unless the sentence names its facts, and the
 * engine's hint in Chinese when the catalogue has it.
 */
function failedStepParams(params: Params, details: Params | undefined): Params {
  const code = String(params.code ?? '');
  const problem = String(params.problem ?? '');
  const hint = String(params.hint ?? '');
  const { said, whole } = sentenceOf({ code: code || undefined, details });
  const fix = hintGist(code, hint) ?? (hint ? `（英文原文）${hint}` : '');
  const words = said === undefined ? `（英文原文）${problem}` : whole ? said : `${said}（英文原文：${problem}）`;
  return { ...params, problem: words, fix: fix ? `${fix}；` : '' };
}

/** The lines of an error, in one language, unwrapped. */
export function errorLines(error: KeyceremonyError, lang: Lang): string[] {
  const prefix = PREFIX[lang];
  if (lang === 'en') return [`${prefix.error}${error.message}`, ...(error.hint ? [`${prefix.hint}${error.hint}`] : [])];
  const worded = error.says && Object.hasOwn(ZH_ERRORS, error.says.key) ? ZH_ERRORS[error.says.key as ErrorKey] : undefined;
  if (worded) {
    const params = error.says!.key === 'failed-step' ? failedStepParams(error.says!.params, error.details) : error.says!.params;
    return [`${prefix.error}${fillChinese(worded.message, params)}`, `${prefix.hint}${fillChinese(worded.hint, params)}`];
  }
  // Not worded here: the code's sentence, and the English as raised where the sentence lacks its names and paths.
  const { said, whole } = sentenceOf(error);
  const lines = [`${prefix.error}${said ?? '無法繼續，原因如下（英文原文）'}`, ...(whole ? [] : [`${prefix.original}${error.message}`])];
  const hint = hintGist(error.code, error.hint);
  if (hint) lines.push(`${prefix.hint}${hint}`);
  else if (error.hint) lines.push(`${prefix.hint}（英文原文）${error.hint}`);
  return lines;
}

/** English or Chinese by the language the command line was given (--lang), else the locale (as chooseLang, which refuses a bad --lang). */
export function langOfArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const flag = at < 0 ? undefined : argv[at]!.startsWith('--lang=') ? argv[at]!.slice('--lang='.length) : argv[at + 1];
  if (flag === 'en' || flag === 'zh-TW') return flag;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh[_-](TW|HK|Hant)/i.test(locale) ? 'zh-TW' : 'en';
}
