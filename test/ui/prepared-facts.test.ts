// Issue 16 (zh-TW complete): what an actor gathered before approval (context.prepared) is
// shown with catalogue labels, not the journal's keys (csrSha256, spkiSha256, notBefore), and
// the engine's fixed phrases ("subordinate CA certificate") in the screen's language. Checked
// on every step.prepared record of the dry-run chain: the facts the real actors gathered.
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { translator } from '../../src/ui/i18n/index.js';
import { PREPARED_LABELS, preparedBlocks } from '../../src/ui/model/prepared.js';
import { dryRunOutput } from '../helpers/dry-run.js';

const { out } = await dryRunOutput(join(t.testdir({}), 'chain'));
const prepared = readdirSync(out)
  .filter((name) => existsSync(join(out, name, 'journal.jsonl')))
  .flatMap((name) =>
    readFileSync(join(out, name, 'journal.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { event: string; step: string; data: Record<string, unknown> })
      .filter((record) => record.event === 'step.prepared')
      .map((record) => ({ where: `${name} step ${record.step}`, data: record.data })),
  );

t.ok(prepared.length >= 8, `step.prepared records of the chain (${prepared.length})`);

t.test('every key a prepare effect records has a catalogue label', async (t) => {
  const keys = new Set(prepared.flatMap(({ data }) => Object.keys(data)));
  // ok/problem are shown as the checks line; tokenSerials and checks (objects) are not facts.
  const unlabelled = [...keys].filter((key) => !['ok', 'problem', 'tokenSerials', 'checks'].includes(key) && !Object.hasOwn(PREPARED_LABELS, key));
  t.same(unlabelled, [], 'keys without a label');
});

for (const lang of ['en', 'zh-TW'] as const) {
  t.test(`${lang}: the facts shown before approval carry labels, never the journal's keys`, async (t) => {
    const tr = translator(lang);
    for (const { where, data } of prepared) {
      const facts = preparedBlocks(tr, data).flatMap((b) => (b.kind === 'facts' ? b.facts : []));
      for (const fact of facts) {
        t.notOk(Object.hasOwn(data, fact.label), `${where}: "${fact.label}" is a journal key`);
        t.notMatch(fact.label, /^\[|^［/, `${where}: "${fact.label}" has no catalogue label`);
        if (lang === 'zh-TW') {
          // Chinese labels; Latin only for the names of standards (SHA-256, PGP, PKCS#11 URI, CKA_ID).
          t.notMatch(fact.label.replace(/SHA-256|PGP|PKCS#11|URI|CKA_ID/g, ''), /[A-Za-z]/, `${where}: label "${fact.label}"`);
          t.notMatch(
            fact.value,
            /^(subordinate CA certificate|self-signed root certificate|link certificate|the same \(self-signed\)|the request signature verifies with its own key|true|false)$/,
            `${where}: value of ${fact.label} in Chinese`,
          );
        }
      }
    }
  });
}
