// The whole terminal UI at 80x24 in a frame test: a ceremony session, no colours, the time
// fixed at 2025-05-01 10:03:04 in Taipei (the clock does not tick), outcomes and errors to the
// test's own callbacks (dropped when it does not ask for them).
import type { ClockOptions } from '../../../src/ui/use-terminal.js';
import { CeremonyApp, type CeremonyAppProps } from '../../../src/ui/app.js';
import type { Lang } from '../../../src/ui/i18n/index.js';
import { renderUi, type Rendered } from './render.js';

export const FIXED_CLOCK: ClockOptions = { now: () => new Date('2025-05-01T02:03:04Z'), timeZone: 'Asia/Taipei', tick: false };

export function renderApp(
  session: CeremonyAppProps['session'],
  lang: Lang,
  options: Partial<Pick<CeremonyAppProps, 'onOutcome' | 'onError' | 'clock' | 'size'>> = {},
): Rendered {
  return renderUi(
    <CeremonyApp
      session={session}
      colors={false}
      onOutcome={options.onOutcome ?? (() => undefined)}
      onError={options.onError ?? (() => undefined)}
      clock={options.clock ?? FIXED_CLOCK}
      size={options.size ?? { columns: 80, rows: 24 }}
    />,
    { lang },
  );
}
