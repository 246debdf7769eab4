// A seal out (the new bag an object is put away under) that this ceremony already recorded,
// such as the bag just opened at the inventory, is refused (review16g item 9: inventory
// recorded TB100002 as opened and storage took TB100002 as the new bag). The refusal names
// the step where it was recorded; the screen leads with it in its own language.
import t from 'tap';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { checkValues, type RecordStep } from '../../src/steps/record/spec.js';
import type { CeremonyContext } from '../../src/ceremony/types.js';
import { problemText } from '../../src/ui/problem-text.js';
import { translator } from '../../src/ui/i18n/index.js';

const definition = loadDefinition(join(new URL('../../ceremonies/', import.meta.url).pathname, 'hca-g3-keygen.yaml'));
const storage = definition.steps.find((s): s is RecordStep => s.type === 'record' && s.fields.some((f) => typeof f !== 'string' && f.seal === 'out'))!;
const inventory = definition.steps.find((s): s is RecordStep => s.type === 'record' && s.fields.some((f) => typeof f !== 'string' && f.seal === 'in'))!;
const sealOut = storage.fields.map((f) => (typeof f === 'string' ? f : f.id)).find((id) => id.includes('bag'))!;
const sealIn = inventory.fields.flatMap((f) => (typeof f !== 'string' && f.seal === 'in' ? [f.id] : []))[0]!;
const context = {
  prepared: undefined,
  results: { [inventory.id]: { values: { [sealIn]: 'TB100002' }, performer: 'wang', witnesses: ['lin'] } },
} as unknown as Pick<CeremonyContext, 'prepared' | 'results'>;

t.test('the bag opened at the inventory is refused as the new seal, naming the step', async (t) => {
  const problem = checkValues(storage, { [sealOut]: 'TB100002' }, context);
  t.match(problem, { code: 'values.seal-recorded', step: storage.id });
  t.match(problem?.message, `already recorded in this ceremony at step ${inventory.id} (field "${sealIn}")`);
  t.equal(checkValues(storage, { [sealOut]: 'tb100002' }, context)?.code, 'values.seal-recorded', 'in any case');
  t.equal(checkValues(storage, { [sealOut]: 'TB100003' }, context), undefined, 'a new bag is taken');
  const en = problemText(translator('en'), 'en', problem!);
  const zh = problemText(translator('zh-TW'), 'zh-TW', problem!);
  t.match(en, 'this bag number is already recorded in this ceremony (the bag opened or used): seal it in a new bag');
  t.match(zh, '此封袋編號已記錄於本儀式（已拆開或已使用的封袋）：請改用新的封袋封存');
});

// Review at 80x24, M3: the custodian change records five new bags in one field
// (TB200101 TB200102 …); the HSM's seal out TB200101 was taken though that bag was recorded.
t.test('a bag recorded in a field of several bag numbers is refused as the new seal', async (t) => {
  const change = loadDefinition(join(new URL('../../ceremonies/', import.meta.url).pathname, 'hca-custodian-change.yaml'));
  const out = change.steps.find((s): s is RecordStep => s.type === 'record' && s.fields.some((f) => typeof f !== 'string' && f.seal === 'out'))!;
  const outField = out.fields.flatMap((f) => (typeof f !== 'string' && f.seal === 'out' ? [f.id] : []))[0]!;
  const recorded = {
    prepared: undefined,
    results: { envelopes: { values: { 'new-bags': 'TB200101 TB200102 TB200103 TB200104 TB200105' }, performer: 'wang', witnesses: ['lin'] } },
  } as unknown as Pick<CeremonyContext, 'prepared' | 'results'>;
  t.match(checkValues(out, { [outField]: 'TB200103' }, recorded), { code: 'values.seal-recorded' });
  t.match(checkValues(out, { [outField]: 'TB200101' }, recorded)?.message, 'already recorded in this ceremony at step envelopes (field "new-bags")');
  t.equal(checkValues(out, { [outField]: 'TB200106' }, recorded), undefined, 'a bag not among them is taken');
  t.equal(checkValues(out, { [outField]: 'TB20010' }, recorded)?.code === 'values.seal-recorded', false, 'part of a number is not a number recorded');
});
