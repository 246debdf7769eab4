// ceremonies/schema.json for editors (YAML language servers read `# yaml-language-server:
// $schema=...`), generated from the same zod schema the loader uses, so it cannot drift:
// a test fails when the committed file differs from what this produces.
import { z } from 'zod';
import { definitionSchemaForEditors } from './schema.js';

export function definitionJsonSchema(): string {
  const schema = z.toJSONSchema(definitionSchemaForEditors, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return `${JSON.stringify({ ...schema, $id: 'https://keyceremony.invalid/schema/definition.json', title: 'keyceremony ceremony definition' }, null, 2)}\n`;
}
