#!/bin/sh
# scripts/wasm/dw-kernel.c (WebAssembly SIMD, f32x4) -> src/models/wasm-training/dw-kernel-wasm.ts; see scripts/build-wasm.sh.
exec sh "$(dirname "$0")/build-wasm.sh" dw src/models/wasm-training/dw-kernel-wasm.ts DW_KERNEL_WASM_BASE64 dw -O3
