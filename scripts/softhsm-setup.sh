#!/usr/bin/env bash
# SoftHSMv2 for keyceremony rehearsals and tests.
#
#   scripts/softhsm-setup.sh                 install softhsm2, opensc (pkcs11-tool) and openssl if
#                                            missing (through scripts/setup.sh --only)
#   scripts/softhsm-setup.sh --store DIR     also create a throwaway token store DIR/tokens and
#                                            DIR/softhsm2.conf, and print the SOFTHSM2_CONF line
#
# It never creates tokens or PINs: tokens are initialised by keyceremony itself through
# PKCS#11 (an init-token step), so no PIN ever appears on a command line or in a file.
set -euo pipefail

store=""
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="${2:?--store needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "softhsm-setup: error: unknown argument $1" >&2; exit 2 ;;
  esac
done

missing=()
command -v softhsm2-util >/dev/null 2>&1 || missing+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || missing+=(opensc)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

# Installing is scripts/setup.sh's job (apt-get, sudo, and the hint elsewhere); only what a
# rehearsal needs, not everything the tests need.
if [ ${#missing[@]} -gt 0 ]; then
  "$(dirname "$0")/setup.sh" --only "${missing[@]}"
fi

if [ -n "$store" ]; then
  mkdir -p "$store/tokens"
  store="$(cd "$store" && pwd)"
  cat > "$store/softhsm2.conf" <<CONF
# Throwaway SoftHSM token store for a keyceremony rehearsal. Delete the folder when done.
directories.tokendir = $store/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
  echo "export SOFTHSM2_CONF=$store/softhsm2.conf"
fi
