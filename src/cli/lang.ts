// The language of the terminal: --lang, else LANG / LC_ALL (zh_TW.UTF-8 -> zh-TW), else en.
import { InputError } from '../errors.js';

export type { Lang } from '../util/lang.js';
import type { Lang } from '../util/lang.js';

export function chooseLang(flag: string | undefined, env: NodeJS.ProcessEnv): Lang {
  if (flag !== undefined) {
    if (flag === 'en' || flag === 'zh-TW') return flag;
    throw new InputError(`--lang must be en or zh-TW, not "${flag}"`, {
      hint: 'use --lang zh-TW for Traditional Chinese',
      says: { key: 'usage.lang', params: { value: flag } },
    });
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh[_-](TW|HK|Hant)/i.test(locale) ? 'zh-TW' : 'en';
}
