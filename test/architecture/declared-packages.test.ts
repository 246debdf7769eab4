// Every package the code imports is declared in package.json, and at the version the lock
// installs: an undeclared one works only while some other package happens to pull it in,
// and `npm ci` or a release built from `dependencies` alone would lose it. src/ ships, so
// what it loads at run time must be a dependency; a type-only import vanishes at run time
// and may name a devDependency. test/ and scripts/ may use either. A `.tsx` file is compiled
// (jsx: react-jsx) to an import of react/jsx-runtime, so react must be a dependency too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { codeFilesUnder, packageOf, ROOT, sourceFiles, type SourceFile } from './helpers/source-graph.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
};
const runtime = new Set(Object.keys(manifest.dependencies));
const declared = new Set([...runtime, ...Object.keys(manifest.devDependencies)]);

/** Each bare import as `package <- file (specifier)`, for the imports `wanted` keeps. */
function bareImports(files: SourceFile[], wanted: (typeOnly: boolean) => boolean): Array<{ pkg: string; where: string }> {
  return files.flatMap((file) => {
    const found = file.imports
      .filter((i) => wanted(i.typeOnly))
      .flatMap((i) => {
        const pkg = packageOf(i.specifier);
        return pkg === undefined ? [] : [{ pkg, where: `${file.path} imports ${i.specifier}` }];
      });
    if (file.path.endsWith('.tsx') && wanted(false)) found.push({ pkg: 'react', where: `${file.path} (jsx: react/jsx-runtime)` });
    return found;
  });
}

t.test('src/ loads at run time only packages in dependencies', async (t) => {
  const found = bareImports(sourceFiles(), (typeOnly) => !typeOnly);
  t.ok(found.length > 50, `${found.length} run-time imports of packages read`);
  t.same(
    found.filter((f) => !runtime.has(f.pkg)),
    [],
    'each entry: a package src/ needs at run time that "dependencies" does not declare',
  );
});

t.test('src/ names in type-only imports only declared packages', async (t) => {
  t.same(
    bareImports(sourceFiles(), (typeOnly) => typeOnly).filter((f) => !declared.has(f.pkg)),
    [],
    'each entry: a package that package.json does not declare',
  );
});

t.test('test/ and scripts/ import only declared packages', async (t) => {
  const files = [...codeFilesUnder('test'), ...codeFilesUnder('scripts')];
  t.ok(files.length > 100, `${files.length} files read`);
  t.same(
    bareImports(files, () => true).filter((f) => !declared.has(f.pkg)),
    [],
    'each entry: a package that package.json does not declare',
  );
});

t.test('every dependency is imported by src/ (none left over)', async (t) => {
  const used = new Set(bareImports(sourceFiles(), () => true).map((f) => f.pkg));
  t.same(
    [...runtime].filter((pkg) => !used.has(pkg)),
    [],
    'each entry: a dependency nothing in src/ imports',
  );
});

t.test('package-lock.json agrees with package.json, so `npm ci` installs what is declared', async (t) => {
  const root = lock.packages[''];
  t.same(root?.dependencies, manifest.dependencies, 'the lock records the same dependencies');
  t.same(root?.devDependencies, manifest.devDependencies, 'the lock records the same devDependencies');
  for (const pkg of declared) t.ok(lock.packages[`node_modules/${pkg}`]?.version, `the lock pins a version of ${pkg}`);
});
