#!/bin/sh
# scripts/wasm/mel-kernel.c (WebAssembly SIMD, f32x4: single precision) -> src/audio/mel-kernel-wasm.ts; see scripts/build-wasm.sh.
exec sh "$(dirname "$0")/build-wasm.sh" mel src/audio/mel-kernel-wasm.ts MEL_KERNEL_WASM_BASE64 frames,to_db -O3
