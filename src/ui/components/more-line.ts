// The row standing for the people a list at 80x24 has no room for: how many and who, by id
// ('… 2 earlier not shown (wang, lin): PgUp shows them'); a bare '… 2' left them unnamed
// (review of issue 16), and a list with no such row dropped them silently (review16s: the
// sign-off lost hc5). The ids that fit one row are named, the rest counted in the number.
import type { MessageKey, Translate } from '../i18n/index.js';
import { displayWidth } from '../../util/text-width.js';

export function moreLine(t: Translate, key: MessageKey, ids: readonly string[], width: number): string | undefined {
  if (ids.length === 0) return undefined;
  for (let k = ids.length; k > 0; k--) {
    const named = ids.slice(0, k).join(t('list.separator')) + (k < ids.length ? t('list.separator') + '…' : '');
    const text = `   ${t(key, { n: ids.length, ids: named })}`;
    if (displayWidth(text) <= width) return text;
  }
  return `   ${t(key, { n: ids.length, ids: '…' })}`;
}
