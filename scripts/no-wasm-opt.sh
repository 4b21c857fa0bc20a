# Sourced by the WebAssembly build scripts. clang-14 runs binaryen's wasm-opt on the linked
# module whenever one is on PATH, without the SIMD / bulk-memory feature flags (so it fails), and
# its passes measured slower on LAME (see docs/training-speed.md): the committed modules are built
# without it.
if command -v wasm-opt >/dev/null 2>&1; then
  echo "wasm-opt is on PATH ($(command -v wasm-opt)); clang-14 would run it on the module: remove binaryen or take it off PATH" >&2
  exit 1
fi
