#!/usr/bin/env bash
# npm test's first step, both TypeScript projects side by side (one per core):
# - dist/, which the tests run the CLI from, emitted without a type check of its own
#   (--noCheck: the same JavaScript, byte for byte, as `npm run build`);
# - the type check of src/ and test/ together (test/tsconfig.json includes src/),
#   incremental: its .tsbuildinfo is kept in node_modules/.cache/tsc, so an unchanged tree
#   is checked again in a few seconds. It writes nothing else.
# Fails if either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
tsc=node_modules/.bin/tsc

"$tsc" -p tsconfig.json --noCheck &
build=$!
"$tsc" -p test/tsconfig.json --incremental --tsBuildInfoFile node_modules/.cache/tsc/test.tsbuildinfo
check=$?
wait "$build"
built=$?
[ "$built" -eq 0 ] || echo "build-and-typecheck: error: tsc -p tsconfig.json failed (exit $built)" >&2
[ "$check" -eq 0 ] || echo "build-and-typecheck: error: the type check of src/ and test/ failed (exit $check)" >&2
[ "$built" -eq 0 ] && [ "$check" -eq 0 ]
