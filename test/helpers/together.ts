// Runs the test files of one folder in one process (test/all-of/<folder>.test.ts), each as a
// subtest named after its file. A test process costs about 2 to 4 s of CPU before its first test
// (node, tap and its plugins, tsx, the imports), which for the ~100 small unit files was more
// than their tests (BENCHMARKS.md, "Test suite time").
//
// What keeps the files apart:
// - Each file's `import t from 'tap'` is that file's subtest (together-hooks.mjs), so its
//   t.before / t.teardown / t.plan are its own, and a failure is reported as
//   "test/all-of/x509.test.ts > test/x509/names.test.ts > the test's name".
// - Each file has tap's timeout (TAP_TIMEOUT, package.json "timeout") to itself.
// - After each file, process.env and the working directory are put back as they were, and a
//   signal or process-event listener the file left behind fails the group, naming the file.
// - Files that must have a process of their own (OWN_PROCESS, with the reason) stay with tap;
//   test/architecture/test-files.test.ts checks that every test file runs exactly once.
//
// Why the group files live in test/all-of/: tap starts the files in the order of their paths
// (@tapjs/run list.js, localeCompare) and has no option to start the longest first. The
// groups are among the longest files (all-of/ui.test.ts about 87 s on a quiet machine); as
// test/together/ they started last, and the UI group ran alone for its last 40 s while the
// other core idled. "all-of" sorts before every other folder of test/, so the groups start
// first and the short files fill in around them (BENCHMARKS.md, "Eighth pass").
import { readdirSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';
import { CURRENT_FILE_TEST } from './together-tap.js';

export const TEST_ROOT = fileURLToPath(new URL('../', import.meta.url));
const REPO_ROOT = join(TEST_ROOT, '..');

// The folders of test/ run as groups, one process each (test/all-of/<folder>.test.ts).
export const GROUPED_FOLDERS = [
  'architecture',
  'attack',
  'backup',
  'ceremony',
  'cli',
  'definition',
  'e2e',
  'history',
  'hsm',
  'journal',
  'ledger',
  'quorum',
  'report',
  'steps',
  'ui',
  'util',
  'x509',
] as const;

// Files in those folders that keep a process of their own, and why.
export const OWN_PROCESS: Readonly<Record<string, string>> = {
  'test/ui/no-color.test.tsx': 'sets FORCE_COLOR before ink and chalk load, which they read once',
};

// Files in those folders that `npm test` does not run at all, and what runs them instead.
export const NOT_IN_NPM_TEST: Readonly<Record<string, string>> = {
  'test/architecture/lint.test.ts':
    '`.ci/run` runs `npm run lint` and `prettier --check .` (about 100 s of CPU); by hand: npx tap test/architecture/lint.test.ts',
};

export const TEST_FILE = /\.test\.tsx?$/;

export function groupedFiles(folder: string): string[] {
  return readdirSync(join(TEST_ROOT, folder))
    .filter((name) => TEST_FILE.test(name))
    .map((name) => `test/${folder}/${name}`)
    .filter((file) => OWN_PROCESS[file] === undefined && NOT_IN_NPM_TEST[file] === undefined)
    .sort();
}

const WATCHED_EVENTS = [
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGPIPE',
  'exit',
  'beforeExit',
  'uncaughtException',
  'unhandledRejection',
] as const;

type Listeners = Map<string, Function[]>; // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- process.listeners' own type

function listeners(): Listeners {
  return new Map(WATCHED_EVENTS.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
}

function restoreEnv(saved: NodeJS.ProcessEnv): string[] {
  const changed: string[] = [];
  for (const name of Object.keys(process.env)) {
    if (!(name in saved)) {
      changed.push(name);
      delete process.env[name];
    }
  }
  for (const [name, value] of Object.entries(saved)) {
    if (process.env[name] !== value) {
      changed.push(name);
      process.env[name] = value;
    }
  }
  return changed;
}

let hooksRegistered = false;

export async function runTogether(folder: string): Promise<void> {
  if (!hooksRegistered) {
    register('./together-hooks.mjs', import.meta.url);
    hooksRegistered = true;
  }
  const files = groupedFiles(folder);
  const perFile = Number(process.env.TAP_TIMEOUT ?? '600') * 1000;
  if (perFile > 0) t.setTimeout(perFile * files.length);
  const holder = globalThis as { [CURRENT_FILE_TEST]?: object };

  for (const file of files) {
    const env = { ...process.env };
    const cwd = process.cwd();
    let before: Listeners = new Map();
    await t.test(file, { timeout: perFile }, async (fileTest) => {
      // Taken here, once tap's root has started and put its own process listeners in place.
      before = listeners();
      holder[CURRENT_FILE_TEST] = fileTest;
      await import(pathToFileURL(join(REPO_ROOT, file)).href);
    });
    delete holder[CURRENT_FILE_TEST];
    restoreEnv(env);
    if (process.cwd() !== cwd) process.chdir(cwd);
    const left: string[] = [];
    for (const [event, was] of before) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!was.includes(listener)) {
          left.push(event);
          process.off(event, listener as () => void);
        }
      }
    }
    if (left.length > 0) t.fail(`${file} left process listeners behind: ${left.join(', ')}`);
  }
}
