// A token as people at the ceremony call it: the definition's title in the screen's
// language ("測試載具"), the id only when the definition gives no title.
import { pick } from '../i18n/index.js';
import type { ScreenContext } from './screen-context.js';

export function tokenTitle(sc: Pick<ScreenContext, 'definition' | 'lang'>, token: string): string {
  const title = sc.definition.tokens[token]?.title;
  return title ? pick(title, sc.lang) : token;
}
