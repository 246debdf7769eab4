// The UI is loaded only when a ceremony runs on a terminal: nothing outside src/ui imports
// ink, React or the UI, except the one dynamic import in src/cli/ui-loader.ts. And the UI
// refuses to start where Ink would draw only its last frame.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inkThinksItIsInCi } from '../../src/ui/terminal.js';
import { interactiveUi } from '../../src/ui/run-ui.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

t.test('only src/ui imports ink and React; the CLI loads the UI lazily', async (t) => {
  const offenders: string[] = [];
  for (const file of files(SRC)) {
    const name = relative(SRC, file);
    if (name.startsWith('ui/')) continue;
    const text = readFileSync(file, 'utf8');
    if (/from ['"](ink|react|ink-[\w-]+)['"]/.test(text)) offenders.push(`${name} imports ink or react`);
    // The static imports allowed are ui/terminal.js and the message catalogues (ui/i18n,
    // which the command line's errors are worded from in zh-TW), which load neither ink nor
    // React (an `import type`, such as a step spec's message keys, is erased and loads nothing).
    for (const match of text.matchAll(/^import (?!type )[^;]*from ['"]([./]*\/ui\/[^'"]+)['"]/gm)) {
      if (!match[1]!.endsWith('/ui/terminal.js') && !match[1]!.endsWith('/ui/i18n/index.js')) offenders.push(`${name} imports the UI statically`);
    }
  }
  t.same(offenders, []);
  // A dynamic import, run inside withoutFetch (see test/cli/ui-loader-fetch.test.ts).
  t.match(readFileSync(join(SRC, 'cli/ui-loader.ts'), 'utf8'), /await withoutFetch\(\(\) => import\('\.\.\/ui\/run-ui\.js'\)\)/);
  const terminalImports = [...readFileSync(join(SRC, 'ui/terminal.ts'), 'utf8').matchAll(/^import[^;]*from ['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  t.same(terminalImports, ['../errors.js'], 'ui/terminal.ts loads nothing heavy');
  // The catalogues: data, and each other, and fill.
  for (const name of readdirSync(join(SRC, 'ui/i18n'))) {
    const imports = [...readFileSync(join(SRC, 'ui/i18n', name), 'utf8').matchAll(/^import (?!type )[^;]*from ['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    t.same(
      imports.filter((i) => !/^\.\/[\w-]+\.js$/.test(i) && i !== '../../util/fill.js'),
      [],
      `ui/i18n/${name} loads nothing but the catalogues and fill`,
    );
  }
});

t.test('no UI where Ink would think it runs in CI', async (t) => {
  t.equal(inkThinksItIsInCi({}), false);
  t.equal(inkThinksItIsInCi({ CI: '0' }), false);
  t.equal(inkThinksItIsInCi({ CI: 'true' }), true);
  t.equal(inkThinksItIsInCi({ CONTINUOUS_INTEGRATION: '1' }), true);
  const ui = interactiveUi({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: { CI: 'true' } });
  await t.rejects(ui({} as never), { code: 'usage.ci-terminal', message: /CI is set/ });
});
