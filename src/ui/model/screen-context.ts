// What the pure models of the UI read: the definition, the machine's context, and words.
import type { Definition } from '../../definition/definition.js';
import type { CeremonyContext, TokenIdentity } from '../../ceremony/types.js';
import type { Deviation } from '../../ceremony/deviations.js';
import type { Lang, Translate } from '../i18n/index.js';

export interface ScreenContext {
  definition: Definition;
  context: CeremonyContext;
  lang: Lang;
  t: Translate;
  /** The tokens as PKCS#11 reports them (absent in tests that need no HSM). */
  tokenIdentity?: ((token: string) => TokenIdentity | undefined) | undefined;
  /** Everything off the script so far, from the journal (absent in tests without one). */
  deviations?: (() => readonly Deviation[]) | undefined;
  /** The zone of the header's clock, in which every time on screen is shown (absent: the definition's, else the terminal's). */
  timeZone?: string | undefined;
}
