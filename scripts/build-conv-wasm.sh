#!/bin/sh
# scripts/wasm/conv-kernel.c (WebAssembly SIMD, f32x4) -> src/models/wasm-training/conv-kernel-wasm.ts and
# conv-kernel-shared-wasm.ts; see scripts/build-wasm.sh. Both import their memory: the kernels run
# in place on the memory of tfjs's wasm backend (its single-threaded build's own memory, or its
# multi-threaded build's shared one, at most 4 GiB), so the code must neither have data segments
# (instantiating would write them into that memory) nor use the stack (whose pointer starts at the
# same address in every instance): both are checked here.
set -eu
here=$(dirname "$0")
sh "$here/build-wasm.sh" conv src/models/wasm-training/conv-kernel-wasm.ts CONV_KERNEL_WASM_BASE64 dw,finish,colsum,dx,wino,winodw,winoDwFinish,convc,dxc -O3 \
  -Wl,--import-memory
sh "$here/build-wasm.sh" conv src/models/wasm-training/conv-kernel-shared-wasm.ts CONV_KERNEL_SHARED_WASM_BASE64 dw,finish,colsum,dx,wino,winodw,winoDwFinish,convc,dxc -O3 \
  -matomics -mbulk-memory -Wl,--shared-memory -Wl,--import-memory -Wl,--max-memory=4294967296
for f in src/models/wasm-training/conv-kernel-wasm.ts src/models/wasm-training/conv-kernel-shared-wasm.ts; do
  tmp=$(mktemp)
  sed -n 4p "$f" | tr -d "' ;" | base64 -d > "$tmp"
  if llvm-objdump-14 -d "$tmp" | grep -q 'global\.[gs]et'; then
    rm "$tmp"
    echo "$f: the kernels use the stack (a spilled array?); keep their values in named locals" >&2
    exit 1
  fi
  if llvm-objdump-14 -h "$tmp" | grep -q ' DATA '; then
    rm "$tmp"
    echo "$f: the module has data segments; move its constants into the code" >&2
    exit 1
  fi
  rm "$tmp"
done
