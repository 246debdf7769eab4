import t from 'tap';
import { readFileSync } from 'node:fs';
import { definitionJsonSchema } from '../../src/definition/json-schema.js';

t.test('ceremonies/schema.json is current (regenerate with npm run schema)', async (t) => {
  const committed = readFileSync(new URL('../../ceremonies/schema.json', import.meta.url), 'utf8');
  t.equal(committed, definitionJsonSchema(), 'run `npm run schema` and commit ceremonies/schema.json');
});

t.test('the schema describes every step type and rejects unknown keys', async (t) => {
  const schema = JSON.parse(definitionJsonSchema()) as {
    properties: { steps: { items: { oneOf?: unknown[]; anyOf?: unknown[] } } };
    additionalProperties: boolean;
  };
  t.equal(schema.additionalProperties, false, 'unknown top-level keys are errors for editors too');
  const variants = schema.properties.steps.items.oneOf ?? schema.properties.steps.items.anyOf ?? [];
  t.equal(variants.length, 23, 'one variant per step type');
});
