// The layers of DESIGN principles 7 and 9, checked on the sources: no import cycles, pure
// step specs, run faces reached only from src/ceremony, a machine that imports no effect.
import t from 'tap';
import { importCycles, sourceFiles, type SourceFile } from './helpers/source-graph.js';

const runtimeImports = (file: SourceFile) => file.imports.filter((i) => !i.typeOnly);
const isRunFace = (target: string | undefined) =>
  target !== undefined &&
  (/^src\/steps\/[^/]+\/run\.ts$/.test(target) || /^src\/steps\/shared\/[^/]+-run\.ts$/.test(target) || target === 'src/steps/run-registry.ts');

t.test('no import cycles in src (run-time imports, static and dynamic)', async (t) => {
  t.same(importCycles({ dynamic: true }), [], 'each list is a set of files that import each other in a circle');
});

t.test('a step spec is pure: no HSM, no files, no ceremony, no UI, no x509 at run time', async (t) => {
  const specs = sourceFiles().filter((f) => /^src\/steps\/([^/]+\/spec|shared\/(?!.*-run)[^/]+|index|spec-types|actors)\.ts$/.test(f.path));
  t.ok(specs.length >= 17, `${specs.length} pure step files found`);
  for (const file of specs) {
    for (const i of runtimeImports(file)) {
      const bad =
        i.specifier.startsWith('node:fs') ||
        /^(ink|react|pkcs11js|@peculiar\/)/.test(i.specifier) ||
        /^src\/(hsm|ceremony|ui|x509|journal|quorum|report|cli)\//.test(i.target ?? '') ||
        isRunFace(i.target);
      t.notOk(bad, `${file.path} imports ${i.specifier}`);
    }
  }
});

t.test('definition, ui and report never reach a run face, the HSM runtime or the ceremony', async (t) => {
  for (const file of sourceFiles().filter((f) => /^src\/(definition|ui|report)\//.test(f.path))) {
    for (const i of runtimeImports(file)) {
      t.notOk(isRunFace(i.target), `${file.path} imports the effects ${i.specifier}`);
      t.notOk(
        /^src\/hsm\/(pkcs11|pkcs11-hsm|pkcs11-session|module-file)\.ts$/.test(i.target ?? '') || i.specifier === 'pkcs11js',
        `${file.path} imports the HSM runtime ${i.specifier}`,
      );
    }
  }
});

t.test('only src/ceremony imports the run registry', async (t) => {
  for (const file of sourceFiles()) {
    for (const _import of runtimeImports(file).filter((i) => i.target === 'src/steps/run-registry.ts')) {
      t.ok(file.path.startsWith('src/ceremony/'), `${file.path} imports the run registry`);
    }
  }
});

t.test('the machine (compile) imports only xstate, types and pure modules', async (t) => {
  const machine = sourceFiles().filter((f) => /^src\/ceremony\/compile(\/|\.ts$)/.test(f.path));
  t.ok(machine.length >= 1);
  const pure =
    /^src\/(steps\/([^/]+\/spec|index|actors|spec-types)\.ts|steps\/shared\/(?!.*-run)[^/]+\.ts|ceremony\/(apply|people-rules|compile\/[^/]+)\.ts|ceremony\/compile\.ts|util\/journal-notes\.ts|journal\/events\.ts)$/;
  for (const file of machine) {
    for (const i of runtimeImports(file)) {
      t.ok(i.specifier === 'xstate' || pure.test(i.target ?? ''), `${file.path} imports ${i.specifier}`);
    }
  }
});

t.test('the runner builds none of its dependencies: the composition root (src/cli) does', async (t) => {
  const runner = sourceFiles().find((f) => f.path === 'src/ceremony/runner.ts')!;
  for (const i of runtimeImports(runner)) t.notOk(/^src\/(report\/|hsm\/pkcs11)/.test(i.target ?? ''), `runner.ts imports ${i.specifier} at run time`);
  t.notMatch(runner.text, /Journal\.(create|open)\(|new SecretStore\(|Pkcs11Hsm|new Date\(\)/, 'no journal, secret store, HSM or clock of its own');
  t.notMatch(runner.text, /process\.(on|off|once)\(/, 'no signal listener of its own');
});
