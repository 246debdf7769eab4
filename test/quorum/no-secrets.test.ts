// Nothing secret in what can be seen: every object the public API returns and every error
// it throws, inspected, serialised and turned into a string, holds no share text, no share
// payload, no secret and no PIN. Driven through src/quorum/index.ts, the engine's entry.
import t from 'tap';
import fc from 'fast-check';
import * as quorum from '../../src/quorum/index.js';
import { KeyceremonyError } from '../../src/errors.js';
import { holds } from './helpers/property.js';
import { assertNoSecrets, forbiddenStrings, renderings } from './helpers/secrets.js';

const secret = quorum.newSecret();
const secretCopy = Buffer.from(secret.toString('hex'), 'hex');
const set = quorum.split(secret, { threshold: 3, of: 5, custodians: ['alice', 'bob', 'carol', 'dave', 'eve'], label: 'hca-user-pin' });
const texts = set.shares.map((s) => s.text);
const pin = quorum.derivePin(secretCopy, 16);
const forbidden = { shares: texts, buffers: [secretCopy, Buffer.from(pin)] };

t.test('every value the public API returns', async (t) => {
  const values: Record<string, unknown> = {
    newSecret: quorum.newSecret(),
    secret,
    split: set,
    'checkShareTyping(complete)': quorum.checkShareTyping(texts[0]!),
    'checkShareTyping(partial)': quorum.checkShareTyping(texts[0]!.slice(0, 40)),
    readShare: quorum.readShare(texts[1]!, set.manifest, 'bob'),
    combine: quorum.combine(texts.slice(0, 3), set.manifest),
    derivePin: pin,
    manifestFingerprint: quorum.manifestFingerprint(set.manifest),
    serializeManifest: quorum.serializeManifest(set.manifest),
  };
  const rotation = quorum.rotate(texts.slice(2), set.manifest, { threshold: 2, of: 2, custodians: ['frank', 'grace'] });
  values.rotate = rotation;
  const store = new quorum.SecretStore();
  values['SecretStore.addShare'] = store.addShare('unlock', texts[0]!, set.manifest, 'alice');
  store.addShare('unlock', texts[3]!, set.manifest, 'dave');
  values['SecretStore.shares'] = store.shares('unlock');
  values['SecretStore.status'] = store.status('unlock', set.manifest);
  values['SecretStore (collecting)'] = store;
  store.addShare('unlock', texts[4]!, set.manifest, 'eve');
  store.combine('unlock', set.manifest, 'hca-user-pin');
  values['SecretStore (holding)'] = store;
  values['SecretStore.describe'] = store.describe();
  const all = { ...forbidden, shares: [...texts, ...rotation.shares.map((s) => s.text)], buffers: [...forbidden.buffers, rotation.newSecret] };
  for (const [name, value] of Object.entries(values)) assertNoSecrets(t, value, all, name);
  // The check itself finds secrets where they are: it is not vacuous.
  const leaky = { text: texts[0], secret: secretCopy.toString('hex') };
  const shown = renderings(leaky).join('\n');
  t.ok(
    forbiddenStrings(forbidden).some((s) => shown.includes(s)),
    'a value holding a share would be caught',
  );
  t.ok(
    renderings(Buffer.from(secretCopy))
      .join('')
      .includes(secretCopy.toString('hex').slice(0, 2) + ' '),
    'a plain Buffer would show its bytes',
  );
});

t.test('no error shows a share or the secret, however the shares are damaged (property)', async (t) => {
  const damage = fc.oneof(
    fc.record({ kind: fc.constant('substitute' as const), at: fc.nat(), by: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZU*#') }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), by: fc.constant('') }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), by: fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ') }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), by: fc.constant('') }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), by: fc.constant('') }),
  );
  holds(
    t,
    fc.property(fc.integer({ min: 0, max: 4 }), fc.array(damage, { minLength: 1, maxLength: 4 }), (which, damages) => {
      let text = texts[which]!.replace(/-/g, '');
      for (const d of damages) {
        const at = d.at % Math.max(1, text.length);
        if (d.kind === 'substitute') text = text.slice(0, at) + d.by + text.slice(at + 1);
        if (d.kind === 'delete') text = text.slice(0, at) + text.slice(at + 1);
        if (d.kind === 'insert') text = text.slice(0, at) + d.by + text.slice(at);
        if (d.kind === 'swap') text = text.slice(0, at) + text.slice(at + 1, at + 2) + text.slice(at, at + 1) + text.slice(at + 2);
        if (d.kind === 'truncate') text = text.slice(0, at);
      }
      const everything = { ...forbidden, shares: [...texts, text] };
      const patterns = forbiddenStrings(everything).filter((s) => s !== text || text.length > 10);
      const attempts: Array<() => unknown> = [
        () => quorum.readShare(text, set.manifest, 'alice'),
        () => quorum.combine([texts[(which + 1) % 5]!, text, texts[(which + 2) % 5]!], set.manifest),
        () => new quorum.SecretStore().addShare('unlock', text, set.manifest),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
        } catch (error) {
          if (!(error instanceof KeyceremonyError)) return false;
          const shown = renderings(error).join('\n');
          if (patterns.some((s) => shown.includes(s))) return false;
        }
      }
      const typing = renderings(quorum.checkShareTyping(text)).join('\n');
      return !patterns.some((s) => typing.includes(s));
    }),
    { numRuns: 300 },
  );
});
