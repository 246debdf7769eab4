// ts-node's own transpilation of the TypeScript sources, kept on disk between test processes.
//
// tap runs every test file in a process of its own, and its TypeScript plugin (ts-node, in
// transpile-only mode) transpiles each .ts/.tsx file that process imports, on the loader thread,
// with a cold TypeScript compiler: 2 to 9 s of CPU per test file, about as much as many test
// files spend on their tests. This is a ts-node "transpiler" (its plugin interface for
// third-party transpilers, set in tsconfig.tap.json, which tap reads before tsconfig.json) that
// does exactly what ts-node does without one (the same createTsTranspileModule, the same
// compiler options, the same package type for the emit) and keeps each result under a hash of
// everything it depends on: this file, the TypeScript and ts-node versions, the compiler
// options, the module kind, the file's name and its text. The JavaScript and source map a test
// process runs are therefore byte for byte the ones ts-node would make, and so is what the
// coverage counts; a changed source is a new key, so a stale result is never used.
//
// Results with diagnostics (a syntax error) are not kept: ts-node reports them as it would.
// The cache is node_modules/.cache/keyceremony-ts-transpile/; deleting it costs one slower run.
// Each result is written to a temporary name and renamed, so processes side by side never read
// half a file.
'use strict';
const { createHash, randomBytes } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const TS_NODE = dirname(require.resolve('@isaacs/ts-node-temp-fork-for-pr-2009/package.json'));
const TS_NODE_VERSION = JSON.parse(readFileSync(join(TS_NODE, 'package.json'), 'utf8')).version;
const CACHE = join(__dirname, '..', '..', 'node_modules', '.cache', 'keyceremony-ts-transpile');
const SELF = createHash('sha256').update(readFileSync(__filename)).digest('hex');

function read(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function keep(file, result) {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temporary, JSON.stringify({ outputText: result.outputText, sourceMapText: result.sourceMapText }));
    renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only makes the next process slower.
  }
}

/** Called by ts-node once per kind of emit, with the compiler options for it. */
exports.create = function create({ service, nodeModuleEmitKind }) {
  const ts = require(service.projectLocalResolveHelper(service.options.compiler ?? 'typescript', true));
  const compilerOptions = service.config.options;
  // As ts-node's createTranspileOnlyGetOutputFunction, for the same emit kind.
  const packageJsonType = nodeModuleEmitKind === 'nodeesm' ? 'module' : 'commonjs';
  const base = createHash('sha256')
    .update(JSON.stringify([SELF, ts.version, TS_NODE_VERSION, nodeModuleEmitKind ?? null, packageJsonType, compilerOptions]))
    .digest();
  let transpileModule;
  return {
    transpile(code, { fileName }) {
      const key = createHash('sha256').update(base).update(fileName).update('\0').update(code).digest('hex');
      const file = join(CACHE, key.slice(0, 2), `${key.slice(2)}.json`);
      const kept = read(file);
      if (kept && typeof kept.outputText === 'string') return kept;
      transpileModule ??= require(join(TS_NODE, 'dist', 'ts-transpile-module.js')).createTsTranspileModule(ts, { compilerOptions, reportDiagnostics: true, transformers: undefined });
      const result = transpileModule(code, { fileName }, packageJsonType);
      if (!result.diagnostics || result.diagnostics.length === 0) keep(file, result);
      return result;
    },
  };
};
