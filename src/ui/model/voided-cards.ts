// Share cards a stop or a crash makes void: a step that hands out new shares keeps them only
// in the memory of the process until the token is set, so a stop before that voids every card
// handed out, and resume makes new sets. The stop dialog says whose cards and which sets before
// anyone confirms; after the resume the notice, the deviations step and the closing list say it
// from the journal (deviationsOf, 'shares-voided') (issue 16 item 1).
import type { Deviation } from '../../ceremony/deviations.js';
import { credentialTitle } from '../../definition/definition.js';
import { personName } from './people.js';
import type { ScreenContext } from './screen-context.js';

/** "7G31XAQV (SO PIN of the test token), Z1R0NPN9 (…)": the set ids on the cards, with their credentials. */
function setsText(sc: ScreenContext, sets: ReadonlyArray<{ setId: string; credential: string }>): string {
  const { t } = sc;
  return sets
    .map((set) => (set.credential ? t('deviation.setOf', { set: set.setId, credential: credentialTitle(sc.definition, set.credential, sc.lang) }) : set.setId))
    .join(t('list.separator'));
}

const namesText = (sc: ScreenContext, ids: readonly string[]) => ids.map((id) => personName(sc.context, id)).join(sc.t('list.separator'));

/** The stop dialog's sentence on the cards a stop now voids, or undefined when no card was handed out. */
export function cardsVoidedByStop(sc: ScreenContext): string | undefined {
  const sets = sc.context.distribution?.sets ?? [];
  const holders = [...new Set(sets.flatMap((set) => set.confirmed))];
  if (holders.length === 0) return undefined;
  return sc.t('stop.cardsVoided', { who: namesText(sc, holders), sets: setsText(sc, sets) });
}

/**
 * The resume notice's sentence on the cards the stop or crash it answers made void: the
 * voided hand-outs journaled after the last interruption or crash (the restart journals them),
 * or undefined when there are none.
 */
export function cardsVoidedOnResume(sc: ScreenContext, deviations: readonly Deviation[]): string | undefined {
  const lastEnd = deviations.findLast((d) => d.kind === 'interrupted' || d.kind === 'crashed')?.seq ?? -1;
  const voided = deviations.filter((d) => d.kind === 'shares-voided' && d.seq > lastEnd);
  if (voided.length === 0) return undefined;
  return voided
    .map((d) =>
      sc.t('resumed.cardsVoided', {
        who: namesText(sc, d.who),
        sets: setsText(sc, d.sets ?? d.detail.split(', ').map((setId) => ({ setId, credential: '' }))),
      }),
    )
    .join(' ');
}
