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

/** The small ceremony's people as the sign-in takes them: id, name, role by number. */
export const SMALL_PEOPLE: Array<[string, string, string]> = [
  ['alice', '王小明 Alice', '1'],
  ['wendy', '林美玲 Wendy', '2'],
  ['dave', '李建國 Dave', '3'],
  ['carol', '張淑芬 Carol', '3'],
];

/** Signs `people` in, one after another, and finishes the sign-in. */
export async function signIn(ui: Rendered, people: ReadonlyArray<readonly [string, string, string]>): Promise<void> {
  for (const [id, name, roles] of people) await ui.answer(id, name, roles);
  await ui.press('enter');
}
