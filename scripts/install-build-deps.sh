#!/usr/bin/env bash
# Installs what the build needs beyond the Rust toolchain and a C/C++ compiler, when
# missing: cmake and libclang, with which the `highs-sys` crate builds the HiGHS LP/MIP
# solver (used by the roster optimiser, crates/roster/src/solve/colgen.rs) from source.
set -euo pipefail

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
# libclang itself (libclang.so or libclang-N.so): libclang-cpp, which other packages
# bring along, is not what bindgen loads.
if ! ls /usr/lib/llvm-*/lib/libclang.so* >/dev/null 2>&1 \
  && ! ls /usr/lib/x86_64-linux-gnu/libclang-[0-9]*.so* >/dev/null 2>&1; then
  missing+=(libclang-dev)
fi
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing for the build: ${missing[*]}; install them with your system's package manager" >&2
    exit 1
  fi
  echo "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
