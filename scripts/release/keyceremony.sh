#!/bin/sh
# keyceremony launcher (offline release): runs the bundled command line with the Node.js on
# PATH, which must be 20.11 or later. It loads nothing from outside this folder: NODE_OPTIONS
# and NODE_PATH, which could make Node load other code first, are cleared.
set -eu

# Through a symlink (e.g. /usr/local/bin/keyceremony) to the folder the release was unpacked
# in. Only shell built-ins unless it is a symlink (and sha256sum when a start-up snapshot may
# exist, below): every program started here adds to the start-up of every command.
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
unset NODE_OPTIONS NODE_PATH

# The start-up snapshot (BENCHMARKS.md, "Start-up snapshot"): V8's heap after `validate` has
# loaded its code once, built from dist/cli/startup.cjs by `--build-startup-snapshot` for this
# release and this Node version. It is not part of the release (a snapshot differs from build
# to build), so it lives in the user's cache, named by the bundle hash and the Node version,
# and only `validate` starts from it: nothing that touches an HSM or a secret. (`--version`
# does not: deserialising the bigger heap costs it more than its few modules do.)
cache_dir() {
  cache=${XDG_CACHE_HOME:-${HOME:-}/.cache}
  case $cache in /*) ;; *) return 1 ;; esac
  # No cache folder, no snapshot: then sha256sum is not started either.
  [ -d "$cache/keyceremony" ] || [ "${1-}" = build ] || return 1
  sums=$(sha256sum < "$here/SHA256SUMS" 2>/dev/null) || return 1
  prefix="$cache/keyceremony/startup-${sums%% *}"
}

# `validate` starts from the snapshot before the version check below: starting `node --version`
# costs a sixth of a Node start, and the check is not needed there. A snapshot loads only in the
# Node that built it (Node compares its version and V8 build with the snapshot's and exits 14
# otherwise), and `--build-startup-snapshot` builds one only after the version check. The
# newest snapshot of this release is tried (one per Node version that built one). Exit 14
# (another Node or V8 build) or 9 (a Node too old to know --snapshot-blob) falls back to the
# normal start, with the version check; every other exit status is validate's own.
if [ "${1-}" = validate ] && cache_dir; then
  snapshot=
  for candidate in "$prefix"-v*.blob; do
    if [ -f "$candidate" ] && { [ -z "$snapshot" ] || [ "$candidate" -nt "$snapshot" ]; }; then snapshot=$candidate; fi
  done
  if [ -n "$snapshot" ]; then
    status=0
    "$node" --snapshot-blob "$snapshot" "$here/dist/cli/startup.cjs" "$@" || status=$?
    case $status in 9 | 14) ;; *) exit "$status" ;; esac
  fi
fi

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

case "${1-}" in
  --build-startup-snapshot)
    [ $# -eq 1 ] || fail 'usage: keyceremony --build-startup-snapshot' 'it takes no arguments'
    cache_dir build || fail 'no cache folder for the start-up snapshot' 'set HOME (or XDG_CACHE_HOME) to an absolute path, and install coreutils (sha256sum)'
    snapshot="$prefix-$version.blob"
    # Only from an intact release: the snapshot holds the code of these files as they are now.
    "$node" "$here/dist/cli/bin.js" self-check > /dev/null || exit $?
    mkdir -p "${snapshot%/*}" || fail "cannot create ${snapshot%/*}" 'check the permissions of the cache folder'
    (umask 077 && "$node" --snapshot-blob "$snapshot.$$" --build-snapshot "$here/dist/cli/startup.cjs") \
      || { rm -f "$snapshot.$$"; fail 'node could not build the start-up snapshot' 'keyceremony runs without it, only slower to start'; }
    mv -f "$snapshot.$$" "$snapshot"
    printf 'keyceremony: start-up snapshot for Node.js %s: %s\n' "$version" "$snapshot"
    exit 0
    ;;
esac
exec "$node" "$here/dist/cli/bin.js" "$@"
