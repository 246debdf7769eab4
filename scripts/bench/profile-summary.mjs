#!/usr/bin/env node
// node scripts/bench/profile-summary.mjs <file.cpuprofile> [--maps <dir>] [--until-us <t>] [--top N] [--by file|package|function]
//
// Summarises a V8 CPU profile (node --cpu-prof) by source module: self time (samples whose
// top frame is in the module) and total time (samples with the module anywhere on the
// stack, counted once per sample). Frames in the release bundle's chunks are mapped back to
// their source file with esbuild's source maps (--maps: the folder holding <chunk>.js.map,
// as ui-profile.mjs builds them), so `dist/cli/chunk-X.js` becomes node_modules/yaml/… or
// src/…. --until-us cuts the profile at a monotonic time (first-frame-probe.mjs's atUs).
// Bench-only.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { maps: { type: 'string' }, 'until-us': { type: 'string' }, top: { type: 'string', default: '30' }, by: { type: 'string', default: 'file' }, tree: { type: 'string' }, depth: { type: 'string', default: '3' } },
});
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const until = opts['until-us'] === undefined ? Infinity : Number(opts['until-us']);

// --- source maps (VLQ) ------------------------------------------------------------------------
const B64 = Object.fromEntries([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));
function decodeMappings(mappings) {
  const lines = [];
  let src = 0;
  for (const line of mappings.split(';')) {
    const segs = [];
    let col = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const vals = [];
      let v = 0;
      let shift = 0;
      for (const c of seg) {
        const d = B64[c];
        v += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          vals.push(v & 1 ? -(v >>> 1) : v >>> 1);
          v = 0;
          shift = 0;
        }
      }
      col += vals[0];
      if (vals.length > 1) {
        src += vals[1];
        segs.push([col, src]);
      }
    }
    lines.push(segs);
  }
  return lines;
}
const maps = new Map();
function mapFor(url) {
  if (!opts.maps || !url.startsWith('file://')) return undefined;
  const file = join(opts.maps, `${basename(url)}.map`);
  if (!maps.has(file)) {
    if (!existsSync(file)) maps.set(file, undefined);
    else {
      const m = JSON.parse(readFileSync(file, 'utf8'));
      maps.set(file, { sources: m.sources, lines: decodeMappings(m.mappings) });
    }
  }
  return maps.get(file);
}
function sourceOf(frame) {
  const { url, lineNumber, columnNumber } = frame;
  const map = mapFor(url);
  if (map) {
    const segs = map.lines[lineNumber] ?? [];
    let best;
    for (const s of segs) {
      if (s[0] <= columnNumber) best = s;
      else break;
    }
    if (best) return map.sources[best[1]].replace(/^(\.\.\/)+/, '');
  }
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native or builtin)';
  return url.replace(/^file:\/\/.*\/(dist\/|node_modules\/)/, '$1');
}
function packageOf(file) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (m) return m[1];
  if (file.startsWith('node:')) return file.split('/').slice(0, 2).join('/');
  const s = /^(src\/[^/]+)/.exec(file);
  return s ? s[1] : file;
}
const keyOf = (node) => {
  const file = sourceOf(node.callFrame);
  if (opts.by === 'package') return packageOf(file);
  if (opts.by === 'function') return `${node.callFrame.functionName || '(anonymous)'} ${file}`;
  return file;
};

// --- samples --------------------------------------------------------------------------------
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const key = new Map(profile.nodes.map((n) => [n.id, keyOf(n)]));
const self = new Map();
const total = new Map();
let t = profile.startTime;
let sum = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  if (t > until) break;
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  const id = profile.samples[i];
  if (key.get(id) === '(idle)') continue;
  sum += dt;
  self.set(key.get(id), (self.get(key.get(id)) ?? 0) + dt);
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) seen.add(key.get(n));
  for (const k of seen) total.set(k, (total.get(k) ?? 0) + dt);
}
const top = Number(opts.top);
const fmt = (x) => x.toFixed(1).padStart(8);
console.log(`profile ${basename(positionals[0])}: ${sum.toFixed(1)} ms of samples (idle excluded)${Number.isFinite(until) ? ', up to the first frame' : ''}`);
console.log(`\n${'self ms'.padStart(8)} ${'total ms'.padStart(8)}  ${opts.by} (by self time)`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${fmt(v)} ${fmt(total.get(k))}  ${k}`);
console.log(`\n${'self ms'.padStart(8)} ${'total ms'.padStart(8)}  ${opts.by} (by total time)`);
for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${fmt(self.get(k) ?? 0)} ${fmt(v)}  ${k}`);

// --tree <function name>: the time under each call of that function, by callee, to --depth levels.
if (opts.tree) {
  const nodeTotal = new Map();
  let t2 = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t2 += profile.timeDeltas[i];
    if (t2 > until) break;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    for (let n = profile.samples[i]; n !== undefined; n = parent.get(n)) nodeTotal.set(n, (nodeTotal.get(n) ?? 0) + dt);
  }
  const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${sourceOf(n.callFrame)}`;
  // Merge the subtrees of every node of that function (not nested in another one), by label.
  const merge = (nodes, depth, indent) => {
    const groups = new Map();
    for (const n of nodes) {
      const k = label(n);
      const g = groups.get(k) ?? { ms: 0, children: [] };
      g.ms += nodeTotal.get(n.id) ?? 0;
      g.children.push(...(n.children ?? []).map((c) => byId.get(c)));
      groups.set(k, g);
    }
    for (const [k, g] of [...groups].sort((a, b) => b[1].ms - a[1].ms)) {
      if (g.ms < 1) continue;
      console.log(`${fmt(g.ms)}  ${indent}${k}`);
      if (depth > 0) merge(g.children, depth - 1, `${indent}  `);
    }
  };
  const roots = profile.nodes.filter((n) => n.callFrame.functionName === opts.tree && ![...ancestors(n.id)].some((a) => byId.get(a).callFrame.functionName === opts.tree));
  console.log(`\ncalls of ${opts.tree}, total ms by callee:`);
  merge(roots, Number(opts.depth), '');
}
function* ancestors(id) {
  for (let n = parent.get(id); n !== undefined; n = parent.get(n)) yield n;
}
