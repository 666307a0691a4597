#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages renacer builds and tests with.
# Used by the README's quick start and by .ci/run. Idempotent.
set -euo pipefail

packages=(
  g++ make python3        # node-gyp builds the native tracer
  linux-libc-dev          # asm/unistd_64.h: the syscall table is checked against it
  strace                  # differential tests and benchmarks compare with strace
  libdw-dev               # --source: elfutils libdw/libdwfl (CFI unwinding, DWARF) and libelf
  libdeflate-dev          # the trace viewer inflates trace files with libdeflate (~5x zlib); linked statically
  binutils                # --source tests: objcopy/strip make split-debug and stripped fixtures
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
