#!/bin/sh
# scripts/wasm/jpeg-kernel.c (WebAssembly SIMD, i32x4) -> src/image/jpeg-kernel-wasm.ts; see scripts/build-wasm.sh.
exec sh "$(dirname "$0")/build-wasm.sh" jpeg src/image/jpeg-kernel-wasm.ts JPEG_KERNEL_WASM_BASE64 rt_setup,rt_step,rt_batch,rt_lag -O3 -fwrapv -Wall -Wextra -Wl,-z,stack-size=65536
