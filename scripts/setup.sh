#!/usr/bin/env bash
# Installs, on Debian with apt-get, what keyceremony's dry run and `npm test` need. Quiet, and
# idempotent: packages already installed are left alone, and when nothing is missing apt-get
# is not run at all (no `apt-get update` either). Uses sudo when not root.
#
#   scripts/setup.sh                 everything `npm run dry-run` and `npm test` need
#   scripts/setup.sh --bench         also what `npm run bench` needs (libengine-pkcs11-openssl)
#   scripts/setup.sh --only PKG...   only these packages (scripts/softhsm-setup.sh uses this)
#
# Then: npm ci && npm run dry-run; npm test. A throwaway SoftHSM token store for a
# rehearsal by hand: scripts/softhsm-setup.sh --store DIR.
set -euo pipefail

# What each package is for:
#   softhsm2                the PKCS#11 module every test and rehearsal runs on
#   opensc                  pkcs11-tool: the tests' independent look at the tokens
#   openssl                 independent checks of CSRs, certificates and CRLs
#   ca-certificates         TLS for npm ci on a fresh machine
#   tmux                    the terminal UI test in a real terminal (test/e2e/ui-tmux.test.ts)
#   procps                  pgrep: that test finds the keyceremony process under tmux's shell
#                           (not in minimal Debian images, unlike util-linux's script and unshare)
#   git                     the release build test dates the tarball at the last commit (test/release/build.test.ts)
#   chromium, poppler-utils the report printed to PDF and read back (test/report/report-dry-run.test.ts)
#   fonts-noto-cjk          Traditional Chinese in that PDF
#   libnss3                 the NSS softoken, a second PKCS#11 module for the HSM tests
#   libnss3-tools           certutil: the HSM tests' independent look at NSS softoken tokens
#   libengine-pkcs11-openssl  OpenSSL's pkcs11 engine: reads NSS softoken keys for the dry-run
#                           chain's checks on NSS (pkcs11-tool cannot start NSS softoken); also bench
#   strace                  the offline release test (npm run test:release) lists the files the release opens
#   python3, make, g++      npm ci builds the pkcs11js addon (usually on the machine already)
PACKAGES=(softhsm2 opensc openssl ca-certificates tmux procps git chromium poppler-utils fonts-noto-cjk libnss3 libnss3-tools libengine-pkcs11-openssl strace python3 make g++)
BENCH_PACKAGES=(libengine-pkcs11-openssl)

packages=("${PACKAGES[@]}")
case "${1:-}" in
  "") ;;
  --bench) packages+=("${BENCH_PACKAGES[@]}") ;;
  --only)
    shift
    [ $# -gt 0 ] || { echo "setup: error: --only needs package names" >&2; exit 2; }
    packages=("$@")
    ;;
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "setup: error: unknown argument $1" >&2; echo "setup: hint: scripts/setup.sh [--bench | --only PKG...]" >&2; exit 2 ;;
esac

installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup: error: this script installs with apt-get (Debian); it is not available here" >&2
  if [ "$(uname -s)" = "Darwin" ]; then
    echo "setup: hint: brew install softhsm opensc openssl tmux poppler nss, and a Chromium" >&2
  else
    echo "setup: hint: install with your package manager: ${packages[*]}" >&2
  fi
  exit 2
fi

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]} with apt-get" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
