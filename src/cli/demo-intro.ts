// What `npm run demo` (scripts/demo.mjs) prints before the ceremony opens: who to sign in
// and how handouts work, in the language of the run. The roles are named as the sign-in
// screen lists them (their titles in the language, which the sign-in also accepts), so a
// zh-TW demo does not send a newcomer off typing English role ids.
import { roleTitles } from '../definition/built-in-roles.js';
import type { Definition } from '../definition/definition.js';
import type { Lang } from '../util/lang.js';

/** A person the newcomer plays: id, name, and the ids of their roles in the definition. */
export type DemoPerson = [id: string, name: string, roles: string[]];

// A role the definition gives no title (the all-steps ceremony's administrator, witness…) is
// named by its built-in title, as the sign-in screen lists it: the zh-TW intro showed the
// Latin ids `administrator`, `custodian` (review of issue 16 at 80x24).
function roleTitle(definition: Definition, role: string, lang: Lang): string {
  return roleTitles(definition.roles, role)?.[lang] ?? role;
}

/**
 * `tokenLabel`: the throwaway token's label. A real token carries it on its tag or in the printed
 * script, and the init screen asks the witness to read it, never showing it (issue 16 item 1);
 * the demo's token has neither, so the intro says it (review at 80x24, B2).
 */
export function demoIntro(definition: Definition, cast: DemoPerson[], lang: Lang, tokenLabel?: string): string[] {
  const people = cast.map(
    ([id, name, roles]) => `    ${id.padEnd(7)} ${name.padEnd(14)} ${roles.map((r) => roleTitle(definition, r, lang)).join(lang === 'zh-TW' ? '、' : ', ')}`,
  );
  if (lang === 'zh-TW') {
    return [
      'keyceremony 示範：在 SoftHSM 的拋棄式載具上，以多人控管進行一場儀式。',
      '',
      '所有角色都由您扮演。請依下列資料簽到（代號、姓名、角色）：',
      ...people,
      '',
      '保管人看到新的分持碼時，請如同保管人一樣抄寫於紙上：畫面隨即清除，須依紙本',
      '再次輸入，稍後啟用載具時也要輸入。輸入時，有誤的段會立即標示。',
      '隨時可按 Ctrl+E 記錄異常事項；Ctrl+C 先行停止（之後可續行）。',
      ...(tokenLabel ? ['', `載具吊牌上的標籤為 ${tokenLabel}：`, '初始化載具時，見證人須讀取並輸入。'] : []),
    ];
  }
  return [
    'keyceremony demo: a ceremony under multiple person control (多人控管),',
    'on a throwaway SoftHSM token.',
    '',
    'You play everyone. Sign them in like this (id, name, roles):',
    ...people,
    '',
    'When a custodian is shown a new share, copy its groups onto paper, as a',
    'custodian would: the screen is then wiped, the share is typed back from the',
    'paper, and again later to unlock the token. A wrong group is marked as you',
    'type it.',
    'Ctrl+E records an exception at any time; Ctrl+C stops (resume later).',
    // Two lines: with the label the sentence ran past 80 columns and the terminal cut a word in two.
    ...(tokenLabel ? ['', `The token's tag reads ${tokenLabel}:`, 'the witness types it when the token is initialised.'] : []),
  ];
}

/** The prompt before the ceremony opens. */
export function demoStartPrompt(lang: Lang): string {
  return lang === 'zh-TW' ? '按 Enter 開始… ' : 'Press Enter to start… ';
}

/** The people the demo asks for: the small ceremony's four, or the engine ceremony's six. */
export function demoCast(allSteps: boolean): DemoPerson[] {
  return allSteps
    ? [
        ['alice', '王小明 Alice', ['administrator']],
        ['wendy', '林美玲 Wendy', ['witness']],
        ['walter', '陳志豪 Walter', ['witness', 'auditor']],
        ['carol', '張淑芬 Carol', ['custodian']],
        ['dave', '李建國 Dave', ['custodian']],
        ['erin', '黃雅婷 Erin', ['custodian']],
      ]
    : [
        ['alice', '王小明 Alice', ['administrator']],
        ['wendy', '林美玲 Wendy', ['witness']],
        ['carol', '張淑芬 Carol', ['custodian']],
        ['dave', '李建國 Dave', ['custodian']],
      ];
}

/** What the demo prints after the ceremony: where everything is, and what to do next (commands in backticks, typed as they are). */
export function demoClosing(lang: Lang, where: { dir: string; bin: string; workdir: string; conf: string; interrupted: boolean }): string[] {
  const { dir, bin, workdir, conf } = where;
  // The run's language goes with it, as the program's own resume line says (review at 80x24, M6).
  const resume = `\`SOFTHSM2_CONF=${conf} node ${bin} resume ${workdir}${lang === 'zh-TW' ? ' --lang zh-TW' : ''}\``;
  if (lang === 'zh-TW') {
    return [
      `demo: 所有檔案均在 ${dir}（載具儲存區、HSM 設定檔及工作目錄）`,
      ...(where.interrupted ? [`demo: 續行：${resume}`] : []),
      `demo: 驗證日誌：\`node ${bin} journal verify ${workdir}\``,
      `demo: 結束後請刪除該目錄：\`rm -rf ${dir}\``,
    ];
  }
  return [
    `demo: everything is in ${dir} (the token store, the profile, and the workdir)`,
    ...(where.interrupted ? [`demo: to go on: ${resume}`] : []),
    `demo: check the journal: \`node ${bin} journal verify ${workdir}\``,
    `demo: delete the folder when done: \`rm -rf ${dir}\``,
  ];
}
