// What the first screen after a resume says about the interruption (issue 16 item 3): at
// which step and when the last run ended, and how — stopped at the terminal by whom, a
// signal, or a crash — and that the ceremony is resumed now.
import type { Resumption } from '../../ceremony/resumption.js';
import { SIGNAL_UNKNOWN } from '../../util/journal-notes.js';
import { stepName } from './closing.js';
import { screenTime, screenZone } from './clock.js';
import { personName } from './people.js';
import type { ScreenContext } from './screen-context.js';
import { cardsVoidedOnResume } from './voided-cards.js';
import { tokenTitle } from './token-names.js';

function signalText(sc: ScreenContext, signal: string): string {
  if (signal === 'SIGINT') return sc.t('resumed.sigint');
  if (signal === SIGNAL_UNKNOWN || signal === '') return sc.t('resumed.signalUnknown');
  return signal;
}

/** The notice's title: a crash is not an interruption (glossary: 異常終止 vs 中斷). */
export function resumedTitle(sc: ScreenContext, resumed: Resumption): string {
  return sc.t(resumed.how === 'crashed' ? 'resumed.titleCrashed' : 'resumed.title');
}

export function resumedText(sc: ScreenContext, resumed: Resumption): string {
  // Cards the stop or crash made void are named with it: their custodians destroy them now (issue 16 item 1).
  const voided = cardsVoidedOnResume(sc, sc.deviations?.() ?? []);
  // A kill -9 during key generation left the room asking whether a half-made key was left: the token was searched, and says so.
  const absent = (resumed.keysAbsent ?? []).map(({ token, label }) => sc.t('resumed.keyAbsent', { token: tokenTitle(sc, token), label }));
  return [howItEnded(sc, resumed), ...(voided ? [voided] : []), ...absent].join(' ');
}

function howItEnded(sc: ScreenContext, resumed: Resumption): string {
  const { t } = sc;
  const step = resumed.step === null ? t('resumed.beforeSteps') : stepName(t, sc.definition, sc.lang, resumed.step);
  const time = screenTime(resumed.time, screenZone(sc));
  switch (resumed.how) {
    case 'stopped': {
      const [by, ...confirmed] = resumed.who.map((id) => personName(sc.context, id));
      return confirmed.length
        ? t('resumed.stoppedConfirmed', { step, time, by: by ?? '—', confirmed: confirmed.join(t('list.separator')) })
        : t('resumed.stopped', { step, time, by: by ?? '—' });
    }
    case 'signal':
      return t('resumed.signal', { step, time, signal: signalText(sc, resumed.detail) });
    case 'crashed':
      return t('resumed.crashed', { step, time, record: resumed.detail });
  }
}
