// Brief fields18 item 2c (80x24 officer review, issue 16): a serial typed in capitals
// ("0D6519DC3379BB1F") was recorded as typed while the token reports "0d6519dc3379bb1f", so
// the report showed the serial in two forms. The comparison already ignored case; the value is
// now recorded as the token reports it (the screen says so: test/ui/approval-screens.test.tsx).
import t from 'tap';
import { join } from 'node:path';
import { initialContext } from '../../src/ceremony/compile.js';
import { loadDefinition } from '../../src/definition/loader.js';
import { checkValues, recordSpec, type RecordStep } from '../../src/steps/record/spec.js';

const definition = loadDefinition(join(new URL('../../ceremonies/', import.meta.url).pathname, 'hca-g3-keygen.yaml'));
const inventory = definition.steps.find((s): s is RecordStep => s.type === 'record' && s.id === 'inventory')!;
const context = { ...initialContext(definition, { inputs: {}, shareSets: {} }), prepared: { tokenSerials: { hca: '0d6519dc3379bb1f' } } };
const values = (serial: string) => ({ 'approval-reference': 'DRY-RUN-2026-003', place: 'Room B1', 'hsm-serial': serial, 'bag-number': 'tb100002' });
const submission = (serial: string) => ({ performer: 'wang', witnesses: ['lin'], values: values(serial) });

t.test('a serial typed in capitals is taken and recorded as the token reports it', async (t) => {
  t.equal(checkValues(inventory, values('0D6519DC3379BB1F'), context), undefined, 'taken: the comparison ignores case');
  t.match(recordSpec.result(inventory, submission('0D6519DC3379BB1F'), context), { values: { 'hsm-serial': '0d6519dc3379bb1f', 'bag-number': 'TB100002' } });
  t.match(
    recordSpec.result(inventory, submission(' 0d6519DC3379bb1f '), context),
    { values: { 'hsm-serial': '0d6519dc3379bb1f' } },
    'mixed case, spaces around',
  );
  t.match(recordSpec.result(inventory, submission('0d6519dc3379bb1f'), context), { values: { 'hsm-serial': '0d6519dc3379bb1f' } }, 'as reported: unchanged');
});

t.test('a token that reports its serial in capitals has it recorded in capitals', async (t) => {
  const upper = { ...context, prepared: { tokenSerials: { hca: '5D1E6F2A9B3C4D01' } } };
  t.match(recordSpec.result(inventory, submission('5d1e6f2a9b3c4d01'), upper), { values: { 'hsm-serial': '5D1E6F2A9B3C4D01' } });
});
