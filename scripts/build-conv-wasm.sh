#!/bin/sh
# scripts/wasm/conv-kernel.c (WebAssembly SIMD, f32x4) -> src/models/wasm-training/conv-kernel-wasm.ts (own
# memory) and conv-kernel-shared-wasm.ts (imported shared memory, for helper threads); see scripts/build-wasm.sh.
set -eu
here=$(dirname "$0")
sh "$here/build-wasm.sh" conv src/models/wasm-training/conv-kernel-wasm.ts CONV_KERNEL_WASM_BASE64 dw,finish -O3
sh "$here/build-wasm.sh" conv src/models/wasm-training/conv-kernel-shared-wasm.ts CONV_KERNEL_SHARED_WASM_BASE64 dw,finish -O3 \
  -matomics -mbulk-memory -Wl,--shared-memory -Wl,--import-memory -Wl,--max-memory=2147483648
# Every instance of the shared build has its own stack pointer at the same address of the one
# memory, so its code must not use the stack at all: no global.get / global.set of it.
tmp=$(mktemp)
sed -n 4p src/models/wasm-training/conv-kernel-shared-wasm.ts | tr -d "' ;" | base64 -d > "$tmp"
if llvm-objdump-14 -d "$tmp" | grep -q 'global\.[gs]et'; then
  rm "$tmp"
  echo "scripts/wasm/conv-kernel.c: the shared build uses the stack (a spilled array?); keep its values in named locals" >&2
  exit 1
fi
rm "$tmp"
