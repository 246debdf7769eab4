// A kill -9 while the HSM makes the CA key, then a resume at the terminal (review of issue 16
// at 80x24): the room was left asking whether a half-made key stayed on the token. The restart
// searches the token for the step's key; when it is not there the journal records it
// (hsm.key-absent) and the resume notice on the first screen says so, in both languages.
import t from 'tap';
import { resumeCeremony, type InteractiveSession } from '../../src/ceremony/runner.js';
import { runnerDeps } from '../../src/cli/runner-deps.js';
import { CeremonyApp, type UiOutcome } from '../../src/ui/app.js';
import { translator } from '../../src/ui/i18n/index.js';
import { journalRecords } from '../helpers/ceremony.js';
import { HCA_LABEL, newCase, prepareChain } from '../helpers/chain.js';
import { runWithFaults } from '../helpers/faults.js';
import { publicKeyLabels } from '../helpers/checks.js';
import { FIXED_CLOCK } from './helpers/app.js';
import { overWide, renderUi } from './helpers/render.js';

const chain = await prepareChain(t, 'hca-token-init', { keys: 'ec-p384' });
const c = newCase(chain, 'key-absent-at-terminal', 'hca-g3-keygen');
const crashed = await runWithFaults(
  c.runArgs,
  { hsm: { method: 'generateKeyPair', moment: 'in-flight', action: { signal: 'SIGKILL' } } },
  { env: c.store.env },
);
t.equal(crashed.signal, 'SIGKILL', 'killed while the key pair was being made');

const flat = (text: string) => text.replace(/\s+/g, '');

for (const lang of ['en', 'zh-TW'] as const) {
  const tr = translator(lang);
  t.test(`${lang}: the resume notice says the token was searched for the key and it is not there`, async (t) => {
    const before = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = c.store.env.SOFTHSM2_CONF;
    t.teardown(() => {
      process.env.SOFTHSM2_CONF = before;
    });
    let resumed: InteractiveSession['resumed'];
    let frame = '';
    const seq = journalRecords(c.workdir).at(-1)!.seq;
    const code = await resumeCeremony(
      {
        workdir: c.workdir,
        lang,
        out: () => undefined,
        interactive: (session) =>
          new Promise<UiOutcome>((resolve, reject) => {
            resumed = session.resumed;
            const ui = renderUi(
              <CeremonyApp session={session} colors={false} onOutcome={resolve} onError={reject} size={{ columns: 80, rows: 24 }} clock={FIXED_CLOCK} />,
              { lang },
            );
            t.teardown(ui.unmount);
            // The first screen: the step's shares again (the login was lost), under the resume notice.
            ui.waitFor(tr('shares.custodian'))
              .then((seen) => {
                frame = seen;
                // Stopped here: the next language's resume searches again.
                resolve({ status: 'interrupted' });
              })
              .catch(reject);
          }),
      },
      runnerDeps(),
    );
    t.equal(code, 3, 'an interrupted run ends with its exit code');
    t.same(resumed?.keysAbsent, [{ token: 'hca', label: 'HCA-G3' }], 'the session hears what the restart did not find');
    const sentence = tr('resumed.keyAbsent', { token: lang === 'en' ? 'Healthcare CA token' : '醫事憑證管理中心載具', label: 'HCA-G3' });
    t.match(flat(frame), flat(sentence), 'the notice says it');
    t.same(overWide(frame), [], 'within 80 columns');
    const absent = journalRecords(c.workdir).filter((r) => r.seq > seq && r.event === 'hsm.key-absent');
    t.same(
      absent.map((r) => [r.step, r.data]),
      [['keygen', { token: 'hca', label: 'HCA-G3' }]],
      'and the journal records the search',
    );
  });
}

t.test('control: the token holds no key HCA-G3 (pkcs11-tool), as the notices said', async (t) => {
  t.same(
    (await publicKeyLabels(c.store.env, HCA_LABEL)).filter((l) => l === 'HCA-G3'),
    [],
    'control: pkcs11-tool lists no key HCA-G3 on the token',
  );
});
