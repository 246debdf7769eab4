// ESLint, flat config: typescript-eslint's type-aware rules on src/ and test/, the core
// recommended rules everywhere. `npm run lint` runs it; test/architecture/lint.test.ts makes
// `npm test` fail on any finding. Every rule turned off says why, on its line.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', '.tap/', 'release/', 'dry-run-output/', 'dry-run-shares/', 'bench/tmp/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One program for all of it: test/tsconfig.json includes src/ as well as test/.
      parserOptions: { project: ['./test/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // tap runs a subtest whether or not its promise is awaited; every other promise must be.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafePromises: [{ from: 'package', name: 'PromiseWithSubtest', package: '@tapjs/core' }] },
      ],
      // A switch with a default is exhaustive by choice; one without must name every member.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `typeof import('…')` stays allowed: it types a module that is imported lazily, on purpose.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Off: an async function without await is tap's test callback shape and how a synchronous throw becomes a rejection; promises left unawaited are no-floating-promises' job.
      '@typescript-eslint/require-await': 'off',
      // Off: this tool detects and strips control characters on purpose, so its patterns name them.
      'no-control-regex': 'off',
      // Off: tests match columns of terminal output, where a run of spaces reads better than ` {3}`.
      'no-regex-spaces': 'off',
    },
  },
  {
    // scripts/ and the few .cjs/.js files are plain JavaScript in no tsconfig: core rules only.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    // Off for .cjs: CommonJS is what ts-node's transpiler plugin interface loads.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
