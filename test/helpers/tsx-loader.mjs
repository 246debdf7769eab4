// How every test file runs: tap's `node-arg` preloads this module, which registers tsx (esbuild)
// to transpile the TypeScript of test/ and src/ as they are imported. It replaces tap's default
// TypeScript plugin (ts-node), which loaded the TypeScript compiler in each of the ~150 test
// processes: about 1.5 s of CPU per process before its first test (BENCHMARKS.md, "Test suite
// time"). Types are checked by `npm run typecheck` (in `.ci/run` and `npm run check`), not by `npm test`.
//
// tsx is given test/tsconfig.json because it applies a tsconfig only to the files that config
// includes: the root tsconfig.json includes only src/, and without "jsx": "react-jsx" the UI
// tests' .tsx would be compiled to React.createElement calls with no React in scope.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
