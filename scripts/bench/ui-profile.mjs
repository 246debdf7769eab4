#!/usr/bin/env node
// node scripts/bench/ui-profile.mjs --release <unpacked release folder> [--release <another>]… [--fixture <dir>] [--runs N] [--prof <dir>]
//
// The UI start as `npm run bench -- --only ui` times it (the EC copy of hca-g3-keygen, on the
// bench's SoftHSM fixture, in an 80x24 pseudo terminal), but measured from inside: the
// process's CPU time (user + sys, all threads) and its own uptime when "Step 1 of 11" is
// written, through first-frame-probe.mjs, which then ends it. On a shared machine CPU time
// is the figure that the load does not inflate much; wall time is printed beside it.
// --prof: also a V8 CPU profile of each run (node --cpu-prof) into <dir>, cut at the first
// frame, with esbuild source maps of the same bundle in <dir>/maps for profile-summary.mjs.
// Several --release: their runs alternate (A B A B …), so a changing load hits each alike,
// and each gets its own figures (--prof: of the first release only).
// --fixture: a fixture prepared by an earlier run (bench/tmp/run-…/ui-fixture with --keep),
// else one is prepared (about a minute). Bench-only.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleCli } from '../release/bundle.mjs';
import { definitionFor, prepare } from './ceremony.mjs';
import { ROOT, childEnv, stats } from './lib.mjs';

const { values: opts } = parseArgs({
  options: { release: { type: 'string', multiple: true }, fixture: { type: 'string' }, runs: { type: 'string', default: '5' }, prof: { type: 'string' }, title: { type: 'string', default: 'Step 1 of 11' } },
});
if (!opts.release) throw new Error('--release <unpacked release folder> is required (npm run release, then tar -xzf)');
const tops = opts.release.map((r) => resolve(r));
const top = tops[0];
const fx = opts.fixture
  ? { dir: resolve(opts.fixture), conf: join(resolve(opts.fixture), 'hsm/softhsm2.conf'), profile: join(resolve(opts.fixture), 'hsm-profile.yaml') }
  : await prepare(join(ROOT, 'bench/tmp', `ui-profile-${process.pid}`), 'ec');
const definition = definitionFor('hca-g3-keygen', 'ec');
const manifest = join(fx.dir, 'hca-token-init', 'outputs', 'hca-user-pin.init.manifest.json');
const probe = join(import.meta.dirname, 'first-frame-probe.mjs');
const scratch = join(ROOT, 'bench/tmp', `ui-profile-runs-${process.pid}`);
mkdirSync(scratch, { recursive: true });
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

if (opts.prof) {
  // Maps of the same sources, bundled as the release bundles them. With maps, esbuild names
  // the chunks with other hashes, so each chunk is paired with the release's chunk whose text
  // is the same once chunk names are blanked out; the map is saved under the release's name.
  const mapsTop = join(scratch, 'maps-build');
  await bundleCli({ root: ROOT, top: mapsTop, sourcemap: true });
  const blank = (file) => readFileSync(file, 'utf8').replace(/-[A-Z0-9]{8}\.js/g, '-X.js');
  const released = new Map(readdirSync(join(top, 'dist/cli')).map((f) => [blank(join(top, 'dist/cli', f)), f]));
  mkdirSync(join(resolve(opts.prof), 'maps'), { recursive: true });
  for (const f of readdirSync(join(mapsTop, 'dist/cli')).filter((f) => f.endsWith('.js'))) {
    const same = released.get(blank(join(mapsTop, 'dist/cli', f)));
    if (!same) throw new Error(`dist/cli/${f} has no twin in the release: build the release from this tree first`);
    renameSync(join(mapsTop, 'dist/cli', `${f}.map`), join(resolve(opts.prof), 'maps', `${same}.map`));
  }
}

const quote = (arg) => `'${String(arg).replace(/'/g, `'\\''`)}'`;
function once(i, top, prof) {
  const bin = join(top, 'dist/cli/bin.js');
  const out = join(scratch, `probe-${i}-${tops.indexOf(top)}.json`);
  const workdir = join(scratch, `workdir-${i}-${tops.indexOf(top)}`);
  const profArgs = prof ? ['--cpu-prof', '--cpu-prof-dir', resolve(opts.prof), '--cpu-prof-name', `ui-${i}.cpuprofile`] : [];
  const argv = [process.execPath, ...profArgs, '--import', probe, bin, 'run', definition, '--hsm', fx.profile, '--workdir', workdir, '--lang', 'en', '--input', `hca-user-pin-manifest=${manifest}`, '--input', `hca-audit-key=${join(dirname(manifest), 'hca-audit-key.pem')}`];
  const env = childEnv({ SOFTHSM2_CONF: fx.conf, LANG: 'C.UTF-8', TERM: 'xterm-256color', KEYCEREMONY_PROBE_TEXT: opts.title, KEYCEREMONY_PROBE_OUT: out });
  const started = process.hrtime.bigint();
  const child = spawn('script', ['-qfec', `stty cols 80 rows 24 2>/dev/null; exec ${argv.map(quote).join(' ')}`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.stderr.on('data', (d) => (text += d));
  return new Promise((resolvePromise, reject) => {
    child.on('exit', () => {
      if (!existsSync(out)) return reject(new Error(`no first frame; the terminal showed:\n${text.slice(-3000)}`));
      const p = JSON.parse(readFileSync(out, 'utf8'));
      resolvePromise({ ...p, cpuMs: p.userMs + p.sysMs, spawnToExitMs: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

const runs = tops.map(() => []);
const loads = [os.loadavg()];
for (let i = 0; i < Number(opts.runs) + 1; i++) {
  for (const [k, t] of tops.entries()) {
    const r = await once(i, t, opts.prof && k === 0);
    // The first round warms the page cache and is not counted.
    if (i > 0) runs[k].push(r);
    process.stderr.write(`${t}: run ${i}${i === 0 ? ' (warm-up)' : ''}: CPU ${r.cpuMs.toFixed(0)} ms (user ${r.userMs.toFixed(0)}, sys ${r.sysMs.toFixed(0)}), uptime at the first frame ${r.uptimeMs.toFixed(0)} ms\n`);
  }
}
loads.push(os.loadavg());
console.log(`load average ${loads[0].map((x) => x.toFixed(2)).join(' ')} before, ${loads[1].map((x) => x.toFixed(2)).join(' ')} after; ${Number(opts.runs)} runs each, medians (min to max):`);
for (const [k, t] of tops.entries()) {
  const pick = (key) => {
    const { min, median, max } = stats(runs[k].map((r) => Math.round(r[key])));
    return `${median} (${min} to ${max})`;
  };
  console.log(`${t}\n  CPU to the first frame ${pick('cpuMs')} ms: user ${pick('userMs')}, sys ${pick('sysMs')}\n  process uptime at the first frame ${pick('uptimeMs')} ms (wall)`);
}
