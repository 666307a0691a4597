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
  neovim                  # the language server's tests use Neovim as a real LSP client
  golang-go               # --source tests build a Go fixture (cgo on and off)
)
# --source tests compile a Rust fixture. A rustc that answers (rustup's in
# ~/.cargo, say) is kept; otherwise Debian's. (When rustup's proxy is on PATH
# but has no toolchain, as with a fresh HOME, scripts/test.mjs puts
# /usr/bin/rustc before it for the tests.)
if ! rustc --version >/dev/null 2>&1; then packages+=(rustc); fi

# shellcheck source=debian-packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"
find_missing_packages "${packages[@]}"
if ((${#missing[@]} == 0)); then
  exit 0
fi
apt_install "${missing[@]}"
