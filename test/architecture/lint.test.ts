// The whole tree is clean under ESLint (eslint.config.js: typescript-eslint's type-aware
// rules) and formatted by prettier. Not part of `npm test` (package.json's tap exclude): it is
// about 100 s of CPU, and `.ci/run` runs `npm run lint` and `prettier --check .` itself
// (test-files.test.ts checks that). Run it by name: `npx tap test/architecture/lint.test.ts`,
// each finding an assertion. ESLint runs as
// `npm run lint` would, in a process of its own, without --cache: a type-aware finding in one
// file can come from a change in another, which a cache keyed on each file's text would miss.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { ROOT } from './helpers/source-graph.js';

// Type-aware linting of the ~500 files is about a minute of CPU; on this machine under other
// load it took 5.5 minutes of wall time, so the file asks for more than tap's default 600 s.
t.setTimeout(20 * 60 * 1000);

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; line: number; column: number; message: string }>;
}

t.test('eslint . finds nothing', async (t) => {
  const eslint = join(ROOT, 'node_modules', '.bin', 'eslint');
  // eslint exits 1 when it finds something: the JSON on stdout says what, so read it either way.
  const { stdout } = await promisify(execFile)(eslint, ['--format', 'json', '.'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).catch((error: unknown) => {
    const { stdout } = error as { stdout?: string };
    if (!stdout) throw error; // eslint did not run (its own error says why)
    return { stdout };
  });
  const results = JSON.parse(stdout) as LintResult[];
  t.ok(results.length > 400, `${results.length} files linted`);
  const findings = results.flatMap((r) =>
    r.messages.map((m) => `${r.filePath.slice(ROOT.length + 1)}:${m.line}:${m.column} ${m.ruleId ?? 'parse'}: ${m.message}`),
  );
  t.same(findings, [], 'each entry: file:line:column rule: message (npm run lint shows them too)');
});

// The tree stays as scripts/format.sh leaves it (.prettierrc.json, .prettierignore): a few
// seconds, so it runs here rather than only in `npm run check`.
t.test('prettier --check . finds nothing to reformat', async (t) => {
  const prettier = join(ROOT, 'node_modules', '.bin', 'prettier');
  // prettier exits 1 and lists the files with --list-different when one would change.
  const listed = await promisify(execFile)(prettier, ['--list-different', '.'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).then(
    () => '',
    (error: unknown) => {
      const { stdout, code } = error as { stdout?: string; code?: number };
      if (code !== 1 || !stdout) throw error; // prettier did not run, or failed on a file it could not parse (its own error says which)
      return stdout;
    },
  );
  t.same(listed.split('\n').filter(Boolean), [], 'files to reformat (run scripts/format.sh)');
});
