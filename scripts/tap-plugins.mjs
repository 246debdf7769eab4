#!/usr/bin/env node
// Builds tap's plugin set as package.json configures it, before `npm test` starts tap (pretest).
//
// Why: tap starts each test file with the loaders of the plugin set @tapjs/test was built with.
// `npm ci` installs the default set, which includes @tapjs/typescript (ts-node); this project
// removes it (package.json "tap.plugin": "!@tapjs/typescript") and transpiles with tsx
// (test/helpers/tsx-loader.mjs). tap notices the difference and rebuilds, but only for the runs
// after: its runner has already loaded the old set, so the first `npm test` after `npm ci` (every
// CI run) registered ts-node in every test process as well, which loads the TypeScript compiler:
// about 3 s of CPU per test process, measured on a one-assertion file (BENCHMARKS.md, "Seventh
// pass"). test/architecture/test-files.test.ts fails when a test process is started with it.
//
// `tap versions` lists the plugins the installed set was built with, `tap plugin list` those
// the configuration asks for; `tap build` (about 12 s of CPU) runs only when they differ.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tap = join(root, 'node_modules', '.bin', 'tap');
const tapOutput = (...args) => execFileSync(tap, args, { cwd: root, encoding: 'utf8' });

const configured = tapOutput('plugin', 'list').split('\n').filter(Boolean).sort();
const versions = tapOutput('versions');
const builtSection = versions.slice(versions.indexOf('\nplugins:\n') + 1);
const built = [...builtSection.matchAll(/^\s+"?([^":\s]+)"?:/gm)].map((m) => m[1]).sort();

if (configured.join('\n') !== built.join('\n')) {
  console.log(`tap's plugins are built as [${built.join(', ')}]; building them as configured: [${configured.join(', ')}]`);
  execFileSync(tap, ['build'], { cwd: root, stdio: 'inherit' });
}
