#!/bin/sh
# keyceremony launcher (offline release): runs the bundled command line with the Node.js on
# PATH, which must be 20.11 or later. It loads nothing from outside this folder: NODE_OPTIONS
# and NODE_PATH, which could make Node load other code first, are cleared.
set -eu

# Through a symlink (e.g. /usr/local/bin/keyceremony) to the folder the release was unpacked
# in. Only shell built-ins unless it is a symlink: every program started here adds to the
# start-up of every command.
self=$0
if [ -L "$self" ] && resolved=$(readlink -f -- "$self" 2>/dev/null); then self=$resolved; fi
case $self in
  */*) here=${self%/*} ;;
  *) here=. ;;
esac

fail() {
  printf 'keyceremony: error: %s\n' "$1" >&2
  printf 'keyceremony: hint: %s\n' "$2" >&2
  exit 2
}

node=$(command -v node 2>/dev/null) || fail 'node not found on PATH' \
  'install Node.js 20.11 or later (README.md, "Offline install"), or put its bin folder first on PATH'

# `node --version` prints vMAJOR.MINOR.PATCH before Node starts its JavaScript engine.
version=$("$node" --version 2>/dev/null) || version=''
unreadable() { fail "cannot tell the version of $node (it printed \"$version\")" 'keyceremony needs Node.js 20.11 or later'; }
case "$version" in
  v[0-9]*.[0-9]*.[0-9]*) ;;
  *) unreadable ;;
esac
numbers=${version#v}
major=${numbers%%.*}
minor=${numbers#*.}
minor=${minor%%.*}
case "$major$minor" in *[!0-9]*) unreadable ;; esac
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 11 ]; }; then
  fail "$node is Node.js $version; keyceremony needs 20.11 or later" \
    'install a newer Node.js (README.md, "Offline install"), or put its bin folder first on PATH'
fi

unset NODE_OPTIONS NODE_PATH
exec "$node" "$here/dist/cli/bin.js" "$@"
