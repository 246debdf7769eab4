// What the operating system could do with the secrets in this process's memory. A core dump
// holds every PIN and share the process has seen (measured: once each), so a production
// ceremony does not start unless core dumps are off for it (RLIMIT_CORE 0, soft and hard); a
// dry run only warns. Node cannot lower its own limit, so the officer does (`ulimit -c 0`).
// The rest is recorded in the journal header for the auditor: where a core would go, whether
// other processes of the same user may attach (ptrace), and whether swap is in use.
//
// The parsers take the text of the /proc files, so tests give them any text they like.
import { readFileSync } from 'node:fs';
import type { Lang } from '../util/lang.js';
import { InputError } from '../errors.js';

export interface ProcessFacts {
  /** RLIMIT_CORE from /proc/self/limits: bytes, or 'unlimited'; undefined when unreadable. */
  coreLimit: { soft: number | 'unlimited'; hard: number | 'unlimited' } | undefined;
  /** /proc/sys/kernel/core_pattern: a file name pattern, or `|program` that receives cores. */
  corePattern: string | undefined;
  /** /proc/sys/kernel/yama/ptrace_scope (0 = any process of the same user may attach). */
  ptraceScope: number | undefined;
  /** Swap areas from /proc/swaps and how much of them is used. */
  swap: { areas: number; usedKiB: number } | undefined;
}

const limit = (text: string): number | 'unlimited' | undefined => (text === 'unlimited' ? 'unlimited' : /^\d+$/.test(text) ? Number(text) : undefined);

/** The `Max core file size` line of /proc/self/limits. */
export function parseCoreLimit(limits: string): ProcessFacts['coreLimit'] {
  const line = limits.split('\n').find((l) => l.startsWith('Max core file size'));
  const [soft, hard] = (line?.slice('Max core file size'.length).trim().split(/\s+/) ?? []).map((word) => limit(word));
  return soft === undefined || hard === undefined ? undefined : { soft, hard };
}

/** /proc/swaps: a header line, then `Filename Type Size Used Priority` per area. */
export function parseSwaps(text: string): ProcessFacts['swap'] {
  const areas = text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 5);
  return { areas: areas.length, usedKiB: areas.reduce((sum, fields) => sum + (Number(fields[3]) || 0), 0) };
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readProcessFacts(read: (path: string) => string | undefined = readProc): ProcessFacts {
  const limits = read('/proc/self/limits');
  const pattern = read('/proc/sys/kernel/core_pattern');
  const scope = read('/proc/sys/kernel/yama/ptrace_scope');
  const swaps = read('/proc/swaps');
  return {
    coreLimit: limits === undefined ? undefined : parseCoreLimit(limits),
    corePattern: pattern?.trim(),
    ptraceScope: scope === undefined || !/^\d+$/.test(scope.trim()) ? undefined : Number(scope.trim()),
    swap: swaps === undefined ? undefined : parseSwaps(swaps),
  };
}

const CORE_HINT = 'run `ulimit -c 0` in this shell first (core dumps off: it sets both the soft and the hard limit), then start keyceremony again';
const CORE_HINT_ZH = '請先在此 shell 執行 `ulimit -c 0`（關閉核心傾印：同時設定軟性及硬性上限），再重新啟動 keyceremony';

type Both = Record<Lang, string>;

/** Why core dumps are not off, in both languages, or undefined when they are: both limits 0. */
function coreDumpProblem(core: ProcessFacts['coreLimit']): Both | undefined {
  if (core === undefined) return { en: 'the core dump limit cannot be read from /proc/self/limits', 'zh-TW': '無法由 /proc/self/limits 讀取核心傾印上限' };
  if (core.soft !== 0) return { en: `core dumps are on (ulimit -c is ${core.soft})`, 'zh-TW': `核心傾印已開啟（ulimit -c 為 ${core.soft}）` };
  // The same account can raise a running process's soft limit up to the hard one
  // (prlimit --pid <pid> --core=unlimited:) and then send SIGQUIT; only a hard limit of 0
  // cannot be raised again.
  if (core.hard !== 0)
    return {
      en: `core dumps can be turned on while the ceremony runs (the soft limit is 0, but the hard limit, ulimit -H -c, is ${core.hard})`,
      'zh-TW': `儀式進行中仍可開啟核心傾印（軟性上限為 0，但硬性上限 ulimit -H -c 為 ${core.hard}）`,
    };
  return undefined;
}

/**
 * A production ceremony (dryRun false) is refused unless core dumps are off; a dry run gets
 * warnings instead. Returns the warnings to print, in `lang` (the refusal says itself in
 * both: the command line's catch words it in the language of --lang).
 */
export function checkProcessHygiene(facts: ProcessFacts, dryRun: boolean, lang: Lang = 'en'): string[] {
  const warnings: Both[] = [];
  const why = coreDumpProblem(facts.coreLimit);
  // A dry run is warned only when core dumps are on now; that they could be turned on is
  // what a production start is refused for.
  if (why !== undefined && (!dryRun || facts.coreLimit?.soft !== 0)) {
    if (!dryRun) {
      throw new InputError(`${why.en}: a crash would write the PINs and shares in this process's memory to disk`, {
        hint: CORE_HINT,
        code: 'process.core-dumps',
        says: { key: 'process.coreDumps', params: { why: why['zh-TW'] } },
      });
    }
    warnings.push({
      en: `${why.en}: a crash of this dry run would write its PINs and shares to disk; ${CORE_HINT.replace(', then start keyceremony again', '')} before a real ceremony`,
      'zh-TW': `${why['zh-TW']}：本次演練若當機，其 PIN 碼及分持碼會寫入磁碟；正式儀式前，${CORE_HINT_ZH.replace('，再重新啟動 keyceremony', '')}`,
    });
  }
  if (facts.corePattern?.startsWith('|')) {
    const handler = facts.corePattern.slice(1).split(/\s+/)[0];
    warnings.push({
      en: `core dumps are piped to ${handler}, which decides on its own whether to keep them`,
      'zh-TW': `核心傾印會交給 ${handler} 處理，是否保留由該程式自行決定`,
    });
  }
  if (facts.swap && facts.swap.usedKiB > 0)
    warnings.push({
      en: `${facts.swap.usedKiB} KiB of swap is in use: memory holding secrets may be written to it; the ceremony terminal should have no swap`,
      'zh-TW': `置換空間已使用 ${facts.swap.usedKiB} KiB：存放機敏資訊的記憶體可能被寫入其中；儀式終端機不應設置換空間`,
    });
  return warnings.map((w) => w[lang]);
}
