#!/usr/bin/env bash
# Install the Debian 12 packages needed to build, test and fuzz mutls.
# Idempotent: when everything is present it only runs dpkg-query and exits.
set -euo pipefail

packages=(
    build-essential     # gcc, make, binutils (nm/readelf for the symbol test)
    cmake
    pkg-config
    libssl-dev          # OpenSSL 3.0 headers + libcrypto (and libssl, tests only)
    openssl             # openssl s_client / s_server for interop tests
    clang               # sanitizer and fuzz builds
    libclang-rt-14-dev  # compiler-rt: ASan/UBSan runtimes and libFuzzer
    llvm                # llvm-symbolizer, for symbolized sanitizer reports
    gnutls-bin          # gnutls-cli / gnutls-serv for interop tests
    curl
    python3
    ca-certificates
    procps              # ps/pkill/pgrep used by interop scripts
    tshark              # checks that a key log decrypts a capture (dumpcap)
    tcpdump             # fallback capture tool for the same test
    golang-go           # Go crypto/tls peer for interop tests
    openjdk-17-jdk-headless  # Java JSSE peer for interop tests (javac)
)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all dependencies present"
    exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: run as root:  apt-get update && DEBIAN_FRONTEND=noninteractive $cmd" >&2
    exit 1
fi

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: installed ${missing[*]}"
