// Issue 15 item 6: things that were written two or three times now have one home each. This
// keeps them so: a second copy of any of them, or a dead name coming back, fails here.
import t from 'tap';
import { sourceFiles } from './helpers/source-graph.js';

/** The files of src/ whose code (comments left out) matches `pattern`. */
function filesMatching(pattern: RegExp): string[] {
  return sourceFiles()
    .filter((f) => pattern.test(f.text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/.*$/gm, '$1')))
    .map((f) => f.path)
    .sort();
}

const ONE_HOME: Array<[string, RegExp, string[]]> = [
  ['the Lang type and the list of languages', /type Lang\s*=|\[\s*'en',\s*'zh-TW'\s*\]/, ['src/util/lang.ts']],
  ['fsyncDirectory', /function fsyncDirectory\b/, ['src/util/storage.ts']],
  // The English message catalogue says it too, for the UI's translation by error code.
  ['the storage-error wording', /'the disk is full'/, ['src/ui/i18n/en.ts', 'src/util/storage.ts']],
  ['Node error-code extraction', /function errorCode\b/, ['src/util/storage.ts']],
  ['the tool version', /function toolVersion\b/, ['src/util/tool-version.ts']],
  ['the state.json reader', /readWorkdirFile\([^)]*STATE_FILE/, ['src/journal/workdir-state.ts']],
  ['share-text normalisation', /function normaliseShareText\b/, ['src/quorum/share-text.ts']],
];

for (const [what, pattern, home] of ONE_HOME) {
  t.test(`${what}: one copy`, async (t) => {
    t.same(filesMatching(pattern), home);
  });
}

t.test('the dead names the issue listed are not defined again', async (t) => {
  t.same(filesMatching(/\b(class InterruptedError|function isKeyceremonyError|function fingerprintOfHex|function isLang)\b/), []);
});

t.test('runner.ts takes the time from its injected clock; the system clock is chosen in the composition root', async (t) => {
  const file = (path: string) => sourceFiles().find((f) => f.path === path)!.text;
  t.same(file('src/ceremony/runner.ts').match(/new Date\(\)|Date\.now\(\)/g), null);
  t.match(file('src/cli/runner-deps.ts'), /const systemClock = \(\): Date => new Date\(\);/);
});
