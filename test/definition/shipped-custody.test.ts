// Brief crl16u item 2: every shipped ceremony that uses a token checks the token's serial
// (a record field declared hsmSerial, compared with what the token reports), records the
// tamper-evident bag the HSM came out of and the one it went back into, and has a deviations
// step before sign-off, as hca-g3-keygen does. The dryrun-* stand-ins are rehearsal scaffolding.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';

const CEREMONIES = join(import.meta.dirname, '..', '..', 'ceremonies');
const shipped = readdirSync(CEREMONIES).filter((f) => f.endsWith('.yaml') && !f.endsWith('.answers.yaml') && !f.startsWith('dryrun-'));

t.ok(shipped.length >= 10, `shipped ceremonies (${shipped.length})`);

for (const file of shipped) {
  t.test(file, async (t) => {
    const definition = loadDefinition(join(CEREMONIES, file));
    const tokens = Object.keys(definition.tokens ?? {});
    if (tokens.length === 0) return t.pass('uses no token');
    const fields = definition.steps.flatMap((s) => (s as { fields?: Array<{ hsmSerial?: string; seal?: string }> }).fields ?? []);
    for (const token of tokens)
      t.ok(
        fields.some((f) => f.hsmSerial === token),
        `token ${token}: a field declared hsmSerial: ${token}`,
      );
    const seals = fields.filter((f) => f.seal !== undefined);
    t.ok(
      seals.some((f) => f.seal === 'in'),
      'a bag number in (seal: in)',
    );
    t.ok(
      seals.some((f) => f.seal === 'out'),
      'a bag number out (seal: out)',
    );
    // Brief fields18 item 2b: hca-token-init's bag fields had no pattern, so "tb100001" was recorded in lower case.
    const bags = definition.steps.flatMap(
      (s) => (s as { fields?: Array<string | { id: string; seal?: string; pattern?: string; evidence?: string; example?: string }> }).fields ?? [],
    );
    for (const bag of bags) {
      if (typeof bag === 'string') continue;
      if (bag.seal !== undefined || bag.id.endsWith('-bag'))
        t.equal(bag.pattern, '[A-Z]{2}[0-9]{6}', `bag field ${bag.id}: two capital letters and six digits, as every bag number`);
      // A field of several bags (new-bags, backup-media) holds each the same way, one space between.
      else if (bag.evidence === 'bag-numbers') {
        t.match(bag.pattern ?? '', /^\[A-Z\]\{2\}\[0-9\]\{6\}( \[A-Z\]\{2\}\[0-9\]\{6\})*$/, `bag list ${bag.id}: bag numbers, one space between`);
        t.ok(bag.example && new RegExp(`^(?:${bag.pattern})$`).test(bag.example), `bag list ${bag.id}: its example fits its pattern`);
      }
    }
    const ids = definition.steps.map((s) => s.type);
    const deviations = ids.lastIndexOf('exception');
    t.ok(deviations >= 0 && deviations < ids.indexOf('sign-off'), 'a deviations step before sign-off');
  });
}
