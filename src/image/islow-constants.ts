/**
 * The fixed-point constants of libjpeg's "islow" integer DCTs (jfdctint.c, jidctint.c):
 * FIX(x) = round(x * 2^13) with CONST_BITS = 13, shared by the forward path (forward.ts) and the
 * inverse path (inverse.ts). scripts/wasm/jpeg-kernel.c repeats them as C macros.
 */

/** Fraction bits of the constants. */
export const CONST_BITS = 13;
/** Extra bits of precision kept between the two passes. */
export const PASS1_BITS = 2;

export const FIX_0_298631336 = 2446;
export const FIX_0_390180644 = 3196;
export const FIX_0_541196100 = 4433;
export const FIX_0_765366865 = 6270;
export const FIX_0_899976223 = 7373;
export const FIX_1_175875602 = 9633;
export const FIX_1_501321110 = 12299;
export const FIX_1_847759065 = 15137;
export const FIX_1_961570560 = 16069;
export const FIX_2_053119869 = 16819;
export const FIX_2_562915447 = 20995;
export const FIX_3_072711026 = 25172;
