#!/usr/bin/env node
// npm run schema: regenerate ceremonies/schema.json from the definition schema (build first).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const { definitionJsonSchema } = await import(join(root, 'dist/definition/json-schema.js'));
writeFileSync(join(root, 'ceremonies/schema.json'), definitionJsonSchema());
console.log('wrote ceremonies/schema.json');
