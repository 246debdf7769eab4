// Share cards a stop or a crash makes void: a step that hands out new shares keeps them only
// in the memory of the process until the token is set, so a stop before that voids every card
// handed out, and resume makes new sets. The stop dialog says whose cards and which sets before
// anyone confirms; after the resume the notice, the deviations step and the closing list say it
// from the journal (deviationsOf, 'shares-voided') (issue 16 item 1).
import { credentialTitle } from '../../definition/definition.js';
import { personName } from './people.js';
import type { ScreenContext } from './screen-context.js';

/** The stop dialog's sentence on the cards a stop now voids, or undefined when no card was handed out. */
export function cardsVoidedByStop(sc: ScreenContext): string | undefined {
  const sets = sc.context.distribution?.sets ?? [];
  const holders = [...new Set(sets.flatMap((set) => set.confirmed))];
  if (holders.length === 0) return undefined;
  const { t } = sc;
  return t('stop.cardsVoided', {
    who: holders.map((id) => personName(sc.context, id)).join(t('list.separator')),
    sets: sets
      .map((set) => t('deviation.setOf', { set: set.setId, credential: credentialTitle(sc.definition, set.credential, sc.lang) }))
      .join(t('list.separator')),
  });
}
