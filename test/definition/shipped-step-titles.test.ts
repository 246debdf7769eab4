// Brief fields18 item 1 (80x24 officer review, issue 16): the steps of the shipped ceremonies
// were named by their type. The approval step read "Confirm" / 「確認」, and the inventory, the
// location and the storage steps all read "Record values" / 「記錄資料」, so the exit line said
// "interrupted at step 6, Record values". Each step now has a title of its own in both
// languages: no two steps of a ceremony share one, and no step falls back to a generic default.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition } from '../../src/definition/loader.js';
import { stepTitle } from '../../src/definition/definition.js';

const CEREMONIES = join(import.meta.dirname, '..', '..', 'ceremonies');
const files = readdirSync(CEREMONIES).filter((f) => f.endsWith('.yaml') && !f.endsWith('.answers.yaml'));
// The defaults that say only what kind of step it is, not what it is about.
const GENERIC = new Set(['Record values', '記錄資料', 'Confirm', '確認', 'Witness confirms the result', '見證人確認結果']);

t.ok(files.length >= 15, `shipped ceremonies (${files.length})`);

for (const file of files) {
  t.test(file, async (t) => {
    const definition = loadDefinition(join(CEREMONIES, file));
    for (const lang of ['en', 'zh-TW'] as const) {
      const titles = definition.steps.map((step) => stepTitle(step, lang));
      const generic = titles.filter((title) => GENERIC.has(title));
      t.same(generic, [], `${lang}: no step titled only by its type`);
      const repeated = titles.filter((title, i) => titles.indexOf(title) !== i);
      t.same(repeated, [], `${lang}: no two steps share a title`);
    }
  });
}

// The officer's examples, as the review asked for them.
t.test('hca-g3-keygen, grca-crl and hca-token-init: the storage, inventory and approval steps by name', async (t) => {
  const keygen = loadDefinition(join(CEREMONIES, 'hca-g3-keygen.yaml'));
  const step = (id: string) => keygen.steps.find((s) => s.id === id)!;
  t.equal(stepTitle(step('storage'), 'en'), 'HSM back into storage');
  t.equal(stepTitle(step('storage'), 'zh-TW'), '硬體安全模組歸還保管');
  const grcaCrl = loadDefinition(join(CEREMONIES, 'grca-crl.yaml'));
  const inventory = grcaCrl.steps.find((s) => s.id === 'inventory')!;
  t.equal(stepTitle(inventory, 'en'), 'Inventory of the HSM and its bag');
  t.equal(stepTitle(inventory, 'zh-TW'), '清點硬體安全模組及封袋');
  const tokenInit = loadDefinition(join(CEREMONIES, 'hca-token-init.yaml'));
  const approval = tokenInit.steps.find((s) => s.id === 'approval')!;
  t.equal(stepTitle(approval, 'en'), 'Approval by the policy authority');
  t.equal(stepTitle(approval, 'zh-TW'), '政策管理單位核准');
});
