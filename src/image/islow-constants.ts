/**
 * The fixed-point constants of libjpeg's "islow" integer DCTs (jfdctint.c, jidctint.c):
 * FIX(x) = round(x * 2^13) with CONST_BITS = 13, and PASS1_BITS = 2, shared by the forward path
 * (forward.ts) and the inverse path (inverse.ts); scripts/wasm/jpeg-kernel.c repeats them as C
 * macros. Users destructure them into module-level `const`s: V8 folds those into optimized code,
 * whereas hot loops reading imported bindings directly measured about 15% slower.
 */
export const ISLOW = Object.freeze({
  CONST_BITS: 13,
  PASS1_BITS: 2,
  FIX_0_298631336: 2446,
  FIX_0_390180644: 3196,
  FIX_0_541196100: 4433,
  FIX_0_765366865: 6270,
  FIX_0_899976223: 7373,
  FIX_1_175875602: 9633,
  FIX_1_501321110: 12299,
  FIX_1_847759065: 15137,
  FIX_1_961570560: 16069,
  FIX_2_053119869: 16819,
  FIX_2_562915447: 20995,
  FIX_3_072711026: 25172,
} as const);
