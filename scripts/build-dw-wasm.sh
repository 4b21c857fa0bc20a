#!/bin/sh
# scripts/wasm/dw-kernel.c (WebAssembly SIMD, f32x4) -> src/models/wasm-training/dw-kernel-wasm.ts (own
# memory) and dw-kernel-shared-wasm.ts (imported shared memory, for helper threads); see scripts/build-wasm.sh.
set -eu
here=$(dirname "$0")
sh "$here/build-wasm.sh" dw src/models/wasm-training/dw-kernel-wasm.ts DW_KERNEL_WASM_BASE64 dw,finish -O3
sh "$here/build-wasm.sh" dw src/models/wasm-training/dw-kernel-shared-wasm.ts DW_KERNEL_SHARED_WASM_BASE64 dw,finish -O3 \
  -matomics -mbulk-memory -Wl,--shared-memory -Wl,--import-memory -Wl,--max-memory=2147483648
