#!/usr/bin/env bash
# Formats the whole tree with prettier (.prettierrc.json; .prettierignore says what is left as
# it is), in place. Run it once on the merged tree, then `npm run check` keeps it formatted:
# `prettier --check .` fails on any file this would change.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node_modules/.bin/prettier --write --log-level warn .
