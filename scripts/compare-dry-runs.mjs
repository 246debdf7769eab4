#!/usr/bin/env node
// node scripts/compare-dry-runs.mjs <dry-run output A> <dry-run output B>
//
// Compares two `npm run dry-run -- --out <dir>` folders (for example one made on main and
// one on a refactoring branch): per ceremony, the journal's records (step, event, who, and
// the data with keys, serials, times, hashes, set ids and PGP words masked) and the list of
// output files. Prints each difference; exits 1 when there is one. Changes of shape that a
// branch makes on purpose (say, key algorithms as data) show as differences to read.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node scripts/compare-dry-runs.mjs <dry-run output A> <dry-run output B>');
  process.exit(2);
}

const HEX = /\b[0-9a-f]{16,}\b/gi;
const TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})\b/g;
const VARIABLE = new Set(['words', 'setId', 'serial', 'id', 'time', 'notBefore', 'notAfter', 'movedTo', 'pid', 'ppid', 'hostname', 'uptime', 'node', 'os']);

function mask(value) {
  if (typeof value === 'string') return value.replace(TIME, '<time>').replace(HEX, '<hex>');
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, VARIABLE.has(k) ? '<var>' : mask(v)]));
  return value;
}

function journal(dir) {
  const file = join(dir, 'journal.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const r = JSON.parse(line);
      return JSON.stringify(mask({ step: r.step, event: r.event, who: r.who, data: r.data }));
    });
}

const outputs = (dir) => (existsSync(join(dir, 'outputs')) ? readdirSync(join(dir, 'outputs')).sort() : []);
const ceremonies = (root) =>
  readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

let differences = 0;
const differ = (message) => {
  differences++;
  console.log(message);
};
const names = [...new Set([...ceremonies(a), ...ceremonies(b)])];
for (const name of names) {
  const [ja, jb] = [journal(join(a, name)), journal(join(b, name))];
  if (ja.length !== jb.length) differ(`${name}: ${ja.length} journal records in A, ${jb.length} in B`);
  for (let i = 0; i < Math.max(ja.length, jb.length); i++) {
    if (ja[i] !== jb[i]) differ(`${name}: record ${i + 1}\n  A ${ja[i] ?? '(none)'}\n  B ${jb[i] ?? '(none)'}`);
  }
  const [oa, ob] = [outputs(join(a, name)), outputs(join(b, name))];
  if (oa.join('\n') !== ob.join('\n')) differ(`${name}: outputs differ\n  A ${oa.join(', ')}\n  B ${ob.join(', ')}`);
}
console.log(differences === 0 ? `same: ${names.length} ceremonies` : `${differences} differences in ${names.length} ceremonies`);
process.exit(differences === 0 ? 0 : 1);
