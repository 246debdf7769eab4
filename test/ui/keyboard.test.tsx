// Keys typed faster than the screen is drawn (typed ahead, pasted, or sent by tmux in one
// burst) are not lost when the screen changes under them: each key is handed out after the
// last one's effect is on screen.
import t from 'tap';
import { render } from 'ink-testing-library';
import { UiProviders } from '../../src/ui/providers.js';
import { SignInScreen } from '../../src/ui/screens/sign-in.js';
import type { Participant } from '../../src/ceremony/types.js';
import { until } from '../helpers/until.js';

const roles = [
  { id: 'administrator', title: 'administrator', min: 1 },
  { id: 'custodian', title: 'custodian', min: 1 },
];

t.test('a burst of keys across a screen change', async (t) => {
  const submitted: Participant[][] = [];
  const r = render(
    <UiProviders lang="en" colors={false}>
      <SignInScreen roles={roles} conflicts={[]} onSubmit={(p) => submitted.push(p)} rows={15} width={80} />
    </UiProviders>,
  );
  t.teardown(r.unmount);
  await new Promise((resolve) => setTimeout(resolve, 30));
  // Each participant added remounts the form; all of this arrives in one go.
  for (const key of ['alice', '\r', 'Alice', '\r', '1', '\r', 'carol', '\r', 'Carol', '\r', '2', '\r', '\r']) r.stdin.write(key);
  await until(() => submitted.length > 0, 'the sign-in is submitted');
  t.same(submitted, [
    [
      { id: 'alice', name: 'Alice', roles: ['administrator'] },
      { id: 'carol', name: 'Carol', roles: ['custodian'] },
    ],
  ]);
});
