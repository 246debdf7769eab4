// Bench-only experiment, not part of `npm run bench`: how much of the start-up, ceremony and
// memory figures a single-file build would save. It compares dist/ (what tsc emits, ~540
// module files for `run`) with an esbuild bundle of the same dist/, run by run, interleaved.
// BENCHMARKS.md ("Experiments") has the numbers and the commands; build the bundle first:
//
//   mkdir -p /tmp/esb && (cd /tmp/esb && npm i --no-save esbuild@0.25)
//   mkdir -p bench/tmp/bundle && cp package.json bench/tmp/bundle/ && ln -sfn "$PWD/node_modules" bench/tmp/bundle/node_modules
//   /tmp/esb/node_modules/.bin/esbuild dist/cli/bin.js --bundle --platform=node --format=esm --splitting \
//     --outdir=bench/tmp/bundle/dist/cli --external:pkcs11js --external:react-devtools-core \
//     --main-fields=module,main --define:process.env.NODE_ENV=\"production\" \
//     --banner:js="import { createRequire as __kcCreateRequire } from 'node:module'; const require = __kcCreateRequire(import.meta.url);"
//   node scripts/bench/bundle-experiment.mjs [--runs 5]
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { definitionFor, prepare } from './ceremony.mjs';
import { BIN, ROOT, round, stats, timeCommand } from './lib.mjs';
import { driveWholeCeremony } from './ui-drive.mjs';
import { uiFirstFrame } from './ui.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, skip: { type: 'string', default: '' } } });
const RUNS = Number(values.runs);
const SKIP = values.skip.split(',');
const BUNDLE = join(ROOT, 'bench/tmp/bundle/dist/cli/bin.js');
if (!existsSync(BUNDLE)) throw new Error(`no bundle at ${BUNDLE}: build it as the comment at the top of this file says`);
const WORK = join(ROOT, 'bench/tmp', `bundle-experiment-${Date.now()}`);
mkdirSync(WORK, { recursive: true });
const VARIANTS = { dist: { bin: BIN }, bundle: { bin: BUNDLE } };
const out = {};
const add = (key, value) => (out[key] ??= []).push(value);
const say = (text) => process.stderr.write(`bundle-experiment: ${text}\n`);

for (let i = 0; i <= RUNS; i++) {
  say(`round ${i}/${RUNS}${i === 0 ? ' (warm-up)' : ''}`);
  const keep = i > 0;
  const names = i % 2 ? ['bundle', 'dist'] : ['dist', 'bundle'];
  for (const name of names) {
    const { bin } = VARIANTS[name];
    const version = await timeCommand(process.execPath, [bin, '--version']);
    const validate = await timeCommand(process.execPath, [bin, 'validate', join(ROOT, 'ceremonies/hca-g3-keygen.yaml')]);
    if (keep) {
      add(`${name}.versionMs`, version.ms);
      add(`${name}.validateMs`, validate.ms);
    }
    if (!SKIP.includes('ceremony')) {
      const fx = await prepare(join(WORK, `${name}-${i}`), 'ec');
      let total = 0;
      let rss = 0;
      for (const id of ['hca-g3-keygen', 'grca-issue-hca-g3']) {
        const r = await timeCommand(process.execPath, [bin, 'run', definitionFor(id, 'ec'), '--hsm', fx.profile, '--workdir', join(fx.dir, id), '--answers', join(fx.dir, `${id}.answers.yaml`)], { env: fx.env, cwd: fx.dir, pollRss: true });
        total += r.ms;
        rss = Math.max(rss, r.rssKiB);
      }
      const ui = await uiFirstFrame(fx, definitionFor('hca-g3-keygen', 'ec'), join(fx.dir, 'hca-token-init/outputs/hca-user-pin.init.manifest.json'), join(fx.dir, 'ui'), { title: 'Step 1 of 9', bin });
      if (keep) {
        add(`${name}.ceremonyEcMs`, total);
        add(`${name}.ceremonyEcPeakRssMiB`, rss / 1024);
        add(`${name}.uiFirstFrameMs`, ui.ms);
        add(`${name}.uiFirstFrameRssMiB`, ui.rssKiB / 1024);
      }
    }
  }
  if (keep && !SKIP.includes('ui-whole')) {
    for (const [name, o] of [
      ['dist', { bin: BIN }],
      ['bundle', { bin: BUNDLE }],
      ['dist+semi2', { bin: BIN, nodeOptions: '--max-semi-space-size=2' }],
      ['bundle+semi2', { bin: BUNDLE, nodeOptions: '--max-semi-space-size=2' }],
    ]) {
      const fx = await prepare(join(WORK, `whole-${name}-${i}`), 'ec');
      const r = await driveWholeCeremony(fx, join(fx.dir, 'rss.log'), o);
      add(`${name}.uiWholePeakRssMiB`, r.rssKiB / 1024);
    }
  }
}
const summary = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, (({ min, median, max, runs }) => ({ min: round(min, 1), median: round(median, 1), max: round(max, 1), runs }))(stats(v))]));
console.log(JSON.stringify(summary, null, 2));
