#!/usr/bin/env bash
# BENCH ONLY. The baseline for the ceremony-overhead figure of `npm run bench`: the HSM work
# of hca-g3-keygen + grca-issue-hca-g3 done by hand with the raw tools, as a CA could script
# it without keyceremony, on the same kind of fresh SoftHSM tokens:
#
#   1. pkcs11-tool: log in to the HCA token, generate the HCA-G3 key pair (EC P-384 or
#      RSA-4096; private half sensitive, sign only, never extractable)
#   2. openssl req (libp11 PKCS#11 engine): log in, CSR for C=TW, O=行政院,
#      CN=醫事憑證管理中心 - G3 (UTF8String), signed by HCA-G3 (SHA-384 for EC, SHA-256 for RSA)
#   3. openssl ca (same engine): log in to the root token, sign the certificate with ROOT-CA
#      with the subordinate-ca profile's extensions, in its order (bench/openssl-ca.cnf),
#      a 16-byte random serial and 20 years ending 23:59:59 Taipei time
#
#   bench/baseline.sh <ec|rsa> <workdir> <root-certificate.pem>
#
# Environment: SOFTHSM2_CONF (a throwaway token store with tokens ROOT-DRYRUN and
# HCA-DRYRUN, prepared by keyceremony's dryrun-root-init and hca-token-init ceremonies),
# KC_BENCH_MODULE (default /usr/lib/softhsm/libsofthsm2.so), KC_BENCH_ENGINE (the libp11
# engine; default: pkcs11.so in `openssl version -e`'s ENGINESDIR), and the two user PINs
# of those throwaway tokens in KC_BENCH_HCA_PIN and KC_BENCH_ROOT_PIN.
#
# PINs: keyceremony itself never takes a PIN from argv or env. This baseline is bench-only
# and runs on throwaway SoftHSM tokens, so it takes the PINs from the environment of this one
# child process (never from the command line): `pkcs11-tool --pin env:KC_BENCH_HCA_PIN` and
# `openssl … -passin env:…` name only the variable, so `ps` shows no PIN.
set -euo pipefail

kind="${1:?usage: baseline.sh <ec|rsa> <workdir> <root-certificate.pem>}"
work="${2:?workdir}"
root_cert="${3:?root certificate}"
module="${KC_BENCH_MODULE:-/usr/lib/softhsm/libsofthsm2.so}"
here="$(cd "$(dirname "$0")" && pwd)"
: "${KC_BENCH_HCA_PIN:?KC_BENCH_HCA_PIN is not set}" "${KC_BENCH_ROOT_PIN:?KC_BENCH_ROOT_PIN is not set}"

case "$kind" in
  ec) key_type="EC:secp384r1"; csr_md=sha384; cert_md=sha384 ;;
  rsa) key_type="rsa:4096"; csr_md=sha256; cert_md=sha256 ;;
  *) echo "baseline: error: unknown key kind $kind (ec or rsa)" >&2; exit 2 ;;
esac

mkdir -p "$work/ca/certs"
: > "$work/ca/index.txt"
# The same validity rule as the profile: 20 years from now, ending 23:59:59 Taipei time
# (UTC+8, no daylight saving) on the same calendar day in Taipei.
start="$(date -u +%Y%m%d%H%M%SZ)"
end="$(( $(TZ=Asia/Taipei date +%Y) + 20 ))$(TZ=Asia/Taipei date +%m%d)155959Z"
key_id="$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"
# The engine's path: given by the bench (found once), or asked of openssl.
engine="${KC_BENCH_ENGINE:-$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')/pkcs11.so}"
export OPENSSL_CONF="$here/openssl-ca.cnf" KC_BENCH_CA_DIR="$work/ca" KC_BENCH_MODULE="$module" KC_BENCH_ENGINE="$engine"
[ -f "$KC_BENCH_ENGINE" ] || { echo "baseline: error: no PKCS#11 engine at $KC_BENCH_ENGINE" >&2; echo "baseline: hint: apt-get install libengine-pkcs11-openssl" >&2; exit 2; }
# Phase marks for the bench (bash's own clock: no extra process).
mark() { echo "$1 $EPOCHREALTIME" >>"$work/phases.txt"; }
: >"$work/phases.txt"
mark start

# 1. Key generation on the HCA token (login with the user PIN).
pkcs11-tool --module "$module" --token-label HCA-DRYRUN --login --pin env:KC_BENCH_HCA_PIN \
  --keypairgen --key-type "$key_type" --label HCA-G3 --id "$key_id" \
  --usage-sign --sensitive >"$work/keygen.log"
mark keygen

# 2. The CSR, signed in the HSM by the new key.
openssl req -new -engine pkcs11 -keyform engine \
  -key "pkcs11:token=HCA-DRYRUN;object=HCA-G3;type=private" -passin env:KC_BENCH_HCA_PIN \
  -subj "/C=TW/O=行政院/CN=醫事憑證管理中心 - G3" -utf8 "-$csr_md" -out "$work/hca-g3.csr" 2>"$work/req.log"
mark csr

# 3. The certificate, signed in the HSM by the root key (openssl ca checks the CSR's signature first).
openssl ca -batch -notext -engine pkcs11 -keyform engine \
  -keyfile "pkcs11:token=ROOT-DRYRUN;object=ROOT-CA;type=private" -passin env:KC_BENCH_ROOT_PIN \
  -cert "$root_cert" -in "$work/hca-g3.csr" -out "$work/hca-g3.crt" -md "$cert_md" \
  -startdate "$start" -enddate "$end" -utf8 -preserveDN 2>"$work/ca.log"
mark certificate
