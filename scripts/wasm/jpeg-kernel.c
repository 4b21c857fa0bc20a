/*
 * The JPEG round trip without entropy coding (src/image/roundtrip-wasm.ts) for WebAssembly SIMD:
 * bit for bit what src/image/forward.ts + src/image/inverse.ts compute (libjpeg-turbo 2.1.5 as
 * Pillow 9.4 runs it). Built by scripts/build-jpeg-wasm.sh into src/image/jpeg-kernel-wasm.ts.
 *
 * Per image, one MCU row (a "strip") at a time: RGB -> YCbCr (jccolor.c fixed point) with edge
 * replication and chroma downsampling (jcsample.c, alternating bias), then per 8x8 block the islow
 * forward DCT (jfdctint.c), reciprocal quantization (jcdctmgr.c), dequantization and the islow
 * inverse DCT with the 16-bit saturation/wrap-around of libjpeg-turbo's SIMD code (pass-1 results
 * saturated to 16 bits, the four 16-bit sums of pass 2 wrapped), all in registers, then fancy
 * upsampling (jdsample.c) fused with YCbCr -> RGB (jdcolor.c). 4:2:0 output rows need the next
 * chroma row, so the inverse of strip m is emitted after the forward of strip m + 1 ("lag" 1).
 *
 * The DCTs run on i32x4 vectors, four rows or columns per vector: integer arithmetic, so every lane
 * computes exactly the scalar formula (built with -fwrapv: sums wrap modulo 2^32 as in the SIMD
 * code libjpeg-turbo runs). No allocation, no libc: the JavaScript side lays out the memory.
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef int32_t v4 __attribute__((vector_size(16)));
typedef uint8_t u8;

#define LANES(x) ((v4){x, x, x, x})

/* jfdctint.c / jidctint.c constants (CONST_BITS 13, PASS1_BITS 2). */
#define FIX_0_298631336 2446
#define FIX_0_390180644 3196
#define FIX_0_541196100 4433
#define FIX_0_765366865 6270
#define FIX_0_899976223 7373
#define FIX_1_175875602 9633
#define FIX_1_501321110 12299
#define FIX_1_847759065 15137
#define FIX_1_961570560 16069
#define FIX_2_053119869 16819
#define FIX_2_562915447 20995
#define FIX_3_072711026 25172

/* jccolor.c (SCALEBITS 16): FIX(0.299) ... and CBCR_OFFSET + ONE_HALF - 1. */
#define Y_R 19595
#define Y_G 38470
#define Y_B 7471
#define CB_R 11059
#define CB_G 21709
#define C_HALF 32768
#define CR_G 27439
#define CR_B 5329
#define C_OFF 8421375

/* Quantization tables (natural order, int32 each): Q, corr, recip, mul = 2^(32 - shift). */
typedef struct {
  v4 q[16], corr[16], recip[16], mul[16];
} Quant;

/*
 * A round-trip job: one image size and kind. Filled by rt_setup; the strip buffers lie in the
 * scratch area after it.
 */
typedef struct {
  int w, h, nc, hs, vs;        /* size, channels (1 or 3), luma sampling factors (1 or 2) */
  int mcusX, mcusY, stripRows; /* MCU grid; luma rows per strip (8 * vs) */
  int pw, cw;                  /* luma and chroma strip widths (whole MCUs) */
  int lumaBlocksX, lumaBlocksY;/* blocks that reach the output (the rest are dummy) */
  int dw, dh;                  /* downsampled chroma size (libjpeg's downsampled_width/height) */
  int chromaRows;              /* chroma rows computed from image rows (4:2:0: (h + 1) / 2) */
  u8 *luma[2], *cb[3], *cr[3]; /* strip buffers (luma ping-pong, chroma ring of three) */
  u8 *padRow[2];               /* edge-replicated input rows, pw * 3 bytes each */
  int16_t *tcb, *tcr;          /* fancy upsampling: padded chroma column sums, cw + 16 each */
  const Quant *lq, *cq;
  int inRow0, outRow0;         /* image rows at the `in` and `out` pointers of the current call */
} Job;

/* ------------------------------------------------------------------------------------------- */
/* 4x4 transposes. */

static inline void transpose4(v4 *a, v4 *b, v4 *c, v4 *d) {
  v4 t0 = __builtin_shufflevector(*a, *b, 0, 4, 1, 5);
  v4 t1 = __builtin_shufflevector(*a, *b, 2, 6, 3, 7);
  v4 t2 = __builtin_shufflevector(*c, *d, 0, 4, 1, 5);
  v4 t3 = __builtin_shufflevector(*c, *d, 2, 6, 3, 7);
  *a = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
  *b = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
  *c = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
  *d = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
}

/* dst[0..3] = the 4x4 transpose of src[0..3]. */
static inline void transpose4_to(const v4 *src, v4 *dst) {
  dst[0] = src[0]; dst[1] = src[1]; dst[2] = src[2]; dst[3] = src[3];
  transpose4(&dst[0], &dst[1], &dst[2], &dst[3]);
}

/* An 8x8 transpose between two layouts of 8 four-lane vectors: from a[k], b[k] (element k of
   lanes 0..3 and 4..7) to x[r], y[r] (lanes k = 0..3 and 4..7 of element r). */
static inline void transpose8(const v4 *a, const v4 *b, v4 *x, v4 *y) {
  transpose4_to(a, x);
  transpose4_to(b, x + 4);
  transpose4_to(a + 4, y);
  transpose4_to(b + 4, y + 4);
}

/* ------------------------------------------------------------------------------------------- */
/* Forward DCT passes (jfdctint.c), on 8 vectors x[0..7] of 4 lanes each. */

/* The 8-point butterfly both passes share: outputs 1, 2, 3, 5, 6, 7 rounded and shifted right by
   `shift` (a constant after inlining), and the even sums tmp10 + tmp11, tmp10 - tmp11 from which
   each pass makes outputs 0 and 4 its own way. */
static inline void fdct_core(v4 *x, const int shift, v4 *sum, v4 *diff) {
  v4 tmp0 = x[0] + x[7], tmp7 = x[0] - x[7], tmp1 = x[1] + x[6], tmp6 = x[1] - x[6];
  v4 tmp2 = x[2] + x[5], tmp5 = x[2] - x[5], tmp3 = x[3] + x[4], tmp4 = x[3] - x[4];
  v4 tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
  const v4 R = LANES(1 << (shift - 1));
  *sum = tmp10 + tmp11;
  *diff = tmp10 - tmp11;
  v4 z1e = (tmp12 + tmp13) * FIX_0_541196100;
  x[2] = (z1e + tmp13 * FIX_0_765366865 + R) >> shift;
  x[6] = (z1e - tmp12 * FIX_1_847759065 + R) >> shift;
  v4 z1 = tmp4 + tmp7, z2 = tmp5 + tmp6, z3 = tmp4 + tmp6, z4 = tmp5 + tmp7;
  v4 z5 = (z3 + z4) * FIX_1_175875602;
  v4 t4 = tmp4 * FIX_0_298631336, t5 = tmp5 * FIX_2_053119869;
  v4 t6 = tmp6 * FIX_3_072711026, t7 = tmp7 * FIX_1_501321110;
  v4 m1 = z1 * -FIX_0_899976223, m2 = z2 * -FIX_2_562915447;
  v4 m3 = z3 * -FIX_1_961570560 + z5, m4 = z4 * -FIX_0_390180644 + z5;
  x[7] = (t4 + m1 + m3 + R) >> shift;
  x[5] = (t5 + m2 + m4 + R) >> shift;
  x[3] = (t6 + m2 + m3 + R) >> shift;
  x[1] = (t7 + m1 + m4 + R) >> shift;
}

static inline void fdct_pass1(v4 *x) {
  /* Rows (lanes = 4 rows, x[k] = sample k of each row, not level-shifted: the -128 shift only
     changes the DC sum, by 8 * 128). CONST_BITS - PASS1_BITS = 11. */
  v4 sum, diff;
  fdct_core(x, 11, &sum, &diff);
  x[0] = (sum - LANES(1024)) << 2;
  x[4] = diff << 2;
}

static inline void fdct_pass2(v4 *x) {
  /* Columns (lanes = 4 columns, x[r] = row r), results scaled by 8. CONST_BITS + PASS1_BITS = 15. */
  v4 sum, diff;
  fdct_core(x, 15, &sum, &diff);
  x[0] = (sum + LANES(2)) >> 2;
  x[4] = (diff + LANES(2)) >> 2;
}

/* ------------------------------------------------------------------------------------------- */
/* Inverse DCT (jidctint.c with libjpeg-turbo's SIMD 16-bit semantics). */

static inline v4 wrap16(v4 x) { return (x << 16) >> 16; }
static inline v4 sat16(v4 x) {
  return (v4)wasm_i32x4_min(wasm_i32x4_max((v128_t)x, wasm_i32x4_splat(-32768)), wasm_i32x4_splat(32767));
}

/* One 8-point pass; `wrap` applies the 16-bit wrap-around of the SIMD code to its 16-bit sums. */
static inline void idct_core(const v4 *d, v4 *acc, int wrap) {
  v4 z1 = (d[2] + d[6]) * FIX_0_541196100;
  v4 tmp2 = z1 - d[6] * FIX_1_847759065;
  v4 tmp3 = z1 + d[2] * FIX_0_765366865;
  v4 s04 = d[0] + d[4], d04 = d[0] - d[4];
  v4 z3 = d[7] + d[3], z4 = d[5] + d[1];
  if (wrap) {
    s04 = wrap16(s04);
    d04 = wrap16(d04);
    z3 = wrap16(z3);
    z4 = wrap16(z4);
  }
  v4 tmp0 = s04 << 13, tmp1 = d04 << 13;
  v4 tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
  z1 = d[7] + d[1];
  v4 z2 = d[5] + d[3];
  v4 z5 = (z3 + z4) * FIX_1_175875602;
  tmp0 = d[7] * FIX_0_298631336;
  tmp1 = d[5] * FIX_2_053119869;
  tmp2 = d[3] * FIX_3_072711026;
  tmp3 = d[1] * FIX_1_501321110;
  z1 = z1 * -FIX_0_899976223;
  z2 = z2 * -FIX_2_562915447;
  z3 = z3 * -FIX_1_961570560 + z5;
  z4 = z4 * -FIX_0_390180644 + z5;
  tmp0 += z1 + z3;
  tmp1 += z2 + z4;
  tmp2 += z2 + z3;
  tmp3 += z1 + z4;
  acc[0] = tmp10 + tmp3;
  acc[7] = tmp10 - tmp3;
  acc[1] = tmp11 + tmp2;
  acc[6] = tmp11 - tmp2;
  acc[2] = tmp12 + tmp1;
  acc[5] = tmp12 - tmp1;
  acc[3] = tmp13 + tmp0;
  acc[4] = tmp13 - tmp0;
}

/* Pass 2 of one group of 4 rows (lanes) and the store of those rows as bytes. */
static inline void idct_rows_store(const v4 *w, u8 *p, int stride) {
  v4 acc[8];
  idct_core(w, acc, 1);
  v128_t o[8];
  for (int k = 0; k < 8; k++) o[k] = (v128_t)(((acc[k] + LANES(131072)) >> 18) + LANES(128));
  v128_t n01 = wasm_i16x8_narrow_i32x4(o[0], o[1]), n23 = wasm_i16x8_narrow_i32x4(o[2], o[3]);
  v128_t n45 = wasm_i16x8_narrow_i32x4(o[4], o[5]), n67 = wasm_i16x8_narrow_i32x4(o[6], o[7]);
  v128_t b03 = wasm_u8x16_narrow_i16x8(n01, n23), b47 = wasm_u8x16_narrow_i16x8(n45, n67);
  /* b03 = [col 0 rows 0..3, col 1 rows 0..3, ...]: gather rows. */
  v128_t r01 = wasm_i8x16_shuffle(b03, b47, 0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
  v128_t r23 = wasm_i8x16_shuffle(b03, b47, 2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
  wasm_v128_store64_lane(p, r01, 0);
  wasm_v128_store64_lane(p + stride, r01, 1);
  wasm_v128_store64_lane(p + 2 * stride, r23, 0);
  wasm_v128_store64_lane(p + 3 * stride, r23, 1);
}

/*
 * The whole trip of one 8x8 block of samples at p (row stride `stride`), in place: forward DCT,
 * quantization, dequantization, inverse DCT.
 */
static void block_roundtrip(u8 *p, int stride, const Quant *qt) {
  /* Load rows as bytes, pairs of rows per vector. */
  v128_t p01 = wasm_v128_load64_zero(p);
  p01 = wasm_v128_load64_lane(p + stride, p01, 1);
  v128_t p23 = wasm_v128_load64_zero(p + 2 * stride);
  p23 = wasm_v128_load64_lane(p + 3 * stride, p23, 1);
  v128_t p45 = wasm_v128_load64_zero(p + 4 * stride);
  p45 = wasm_v128_load64_lane(p + 5 * stride, p45, 1);
  v128_t p67 = wasm_v128_load64_zero(p + 6 * stride);
  p67 = wasm_v128_load64_lane(p + 7 * stride, p67, 1);
  /* Column-major groups of 4 rows: [c0 r0..r3, c1 r0..r3, c2 .., c3 ..]. */
  v128_t a0 = wasm_i8x16_shuffle(p01, p23, 0, 8, 16, 24, 1, 9, 17, 25, 2, 10, 18, 26, 3, 11, 19, 27);
  v128_t a1 = wasm_i8x16_shuffle(p01, p23, 4, 12, 20, 28, 5, 13, 21, 29, 6, 14, 22, 30, 7, 15, 23, 31);
  v128_t b0 = wasm_i8x16_shuffle(p45, p67, 0, 8, 16, 24, 1, 9, 17, 25, 2, 10, 18, 26, 3, 11, 19, 27);
  v128_t b1 = wasm_i8x16_shuffle(p45, p67, 4, 12, 20, 28, 5, 13, 21, 29, 6, 14, 22, 30, 7, 15, 23, 31);
  v4 ra[8], rb[8]; /* ra[k]: sample k of rows 0..3; rb: of rows 4..7 */
#define WIDEN(src, dst, base)                                              \
  {                                                                        \
    v128_t lo = wasm_u16x8_extend_low_u8x16(src), hi = wasm_u16x8_extend_high_u8x16(src); \
    dst[base] = (v4)wasm_u32x4_extend_low_u16x8(lo);                       \
    dst[base + 1] = (v4)wasm_u32x4_extend_high_u16x8(lo);                  \
    dst[base + 2] = (v4)wasm_u32x4_extend_low_u16x8(hi);                   \
    dst[base + 3] = (v4)wasm_u32x4_extend_high_u16x8(hi);                  \
  }
  WIDEN(a0, ra, 0)
  WIDEN(a1, ra, 4)
  WIDEN(b0, rb, 0)
  WIDEN(b1, rb, 4)
#undef WIDEN
  fdct_pass1(ra);
  fdct_pass1(rb);
  /* To row vectors: c0[r] = row r, columns 0..3; c1[r] = row r, columns 4..7. */
  v4 c0[8], c1[8];
  transpose8(ra, rb, c0, c1);
  fdct_pass2(c0);
  fdct_pass2(c1);
  /* Quantize (q = sign * (((|x| + corr) * recip) >> shift)) and dequantize (d = q * Q). */
  v128_t any = wasm_i32x4_splat(0);
  for (int r = 0; r < 8; r++) {
    for (int g = 0; g < 2; g++) {
      v4 x = g ? c1[r] : c0[r];
      int i = r * 2 + g;
      v4 sg = x >> 31;
      v4 a = (x ^ sg) - sg;
      v4 qv = ((((a + qt->corr[i]) * qt->recip[i]) >> 16) * qt->mul[i]) >> 16;
      qv = (qv ^ sg) - sg;
      any = wasm_v128_or(any, (v128_t)(i == 0 ? __builtin_shufflevector(qv, LANES(0), 4, 1, 2, 3) : qv));
      v4 d = qv * qt->q[i];
      if (g) c1[r] = d;
      else c0[r] = d;
    }
  }
  if (!wasm_v128_any_true(any)) {
    /* DC only: a flat block, ((d << 2) + 16) >> 5, level-shifted and clamped. */
    int v = (((c0[0][0] << 2) + 16) >> 5) + 128;
    v = v < 0 ? 0 : v > 255 ? 255 : v;
    v128_t row = wasm_i8x16_splat((int8_t)v);
    for (int r = 0; r < 8; r++) wasm_v128_store64_lane(p + r * stride, row, 0);
    return;
  }
  /* Inverse pass 1: columns (lanes = columns), outputs descaled and saturated to 16 bits. */
  v4 acc[8];
  idct_core(c0, acc, 0);
  for (int k = 0; k < 8; k++) c0[k] = sat16((acc[k] + LANES(1024)) >> 11);
  idct_core(c1, acc, 0);
  for (int k = 0; k < 8; k++) c1[k] = sat16((acc[k] + LANES(1024)) >> 11);
  /* To column vectors (lanes = rows): wa[k] = column k of rows 0..3, wb[k] of rows 4..7. */
  v4 wa[8], wb[8];
  transpose8(c0, c1, wa, wb);
  idct_rows_store(wa, p, stride);
  idct_rows_store(wb, p + 4 * stride, stride);
}

/* ------------------------------------------------------------------------------------------- */
/* Colour conversion and downsampling (forward). */

static inline int ycc_y(int r, int g, int b) { return (Y_R * r + Y_G * g + Y_B * b + 32768) >> 16; }
static inline int ycc_cb(int r, int g, int b) { return (C_HALF * b - CB_R * r - CB_G * g + C_OFF) >> 16; }
static inline int ycc_cr(int r, int g, int b) { return (C_HALF * r - CR_G * g - CR_B * b + C_OFF) >> 16; }

/* The input row `y` (clamped to the image), right-padded to pw pixels by repeating its last pixel. */
static const u8 *input_row(const Job *job, const u8 *in, int y, int slot) {
  if (y >= job->h) y = job->h - 1;
  int rowBytes = job->w * job->nc;
  const u8 *src = in + (y - job->inRow0) * rowBytes;
  if (job->w == job->pw) return src;
  u8 *dst = job->padRow[slot];
  for (int i = 0; i < rowBytes; i++) dst[i] = src[i];
  int nc = job->nc;
  for (int i = rowBytes; i < job->pw * nc; i++) dst[i] = dst[i - nc];
  return dst;
}

/* Luma of one padded row (pw pixels) into dst. */
static void luma_row(const u8 *s, u8 *dst, int n) {
  int x = 0;
  const v4 yr = LANES(Y_R), yg = LANES(Y_G), yb = LANES(Y_B), half = LANES(32768);
  for (; x + 8 <= n; x += 8, s += 24) {
    v128_t lo = wasm_v128_load(s), hi = wasm_v128_load64_zero(s + 16);
    v4 r0 = (v4)wasm_i8x16_shuffle(lo, hi, 0, 24, 24, 24, 3, 24, 24, 24, 6, 24, 24, 24, 9, 24, 24, 24);
    v4 g0 = (v4)wasm_i8x16_shuffle(lo, hi, 1, 24, 24, 24, 4, 24, 24, 24, 7, 24, 24, 24, 10, 24, 24, 24);
    v4 b0 = (v4)wasm_i8x16_shuffle(lo, hi, 2, 24, 24, 24, 5, 24, 24, 24, 8, 24, 24, 24, 11, 24, 24, 24);
    v4 r1 = (v4)wasm_i8x16_shuffle(lo, hi, 12, 24, 24, 24, 15, 24, 24, 24, 18, 24, 24, 24, 21, 24, 24, 24);
    v4 g1 = (v4)wasm_i8x16_shuffle(lo, hi, 13, 24, 24, 24, 16, 24, 24, 24, 19, 24, 24, 24, 22, 24, 24, 24);
    v4 b1 = (v4)wasm_i8x16_shuffle(lo, hi, 14, 24, 24, 24, 17, 24, 24, 24, 20, 24, 24, 24, 23, 24, 24, 24);
    v4 y0 = (yr * r0 + yg * g0 + yb * b0 + half) >> 16;
    v4 y1 = (yr * r1 + yg * g1 + yb * b1 + half) >> 16;
    v128_t n = wasm_i16x8_narrow_i32x4((v128_t)y0, (v128_t)y1);
    wasm_v128_store64_lane(dst + x, wasm_u8x16_narrow_i16x8(n, n), 0);
  }
  for (; x < n; x++, s += 3) dst[x] = (u8)ycc_y(s[0], s[1], s[2]);
}

/*
 * h2v2: luma of two padded rows and the chroma of their 2x2 squares (bias 1, 2, 1, 2, ...).
 * n = pw (a multiple of 16).
 */
static void convert_h2v2(const u8 *s0, const u8 *s1, u8 *y0, u8 *y1, u8 *cb, u8 *cr, int n) {
  const v4 yr = LANES(Y_R), yg = LANES(Y_G), yb = LANES(Y_B), half = LANES(32768);
  const v4 cbr = LANES(CB_R), cbg = LANES(CB_G), ch = LANES(C_HALF), crg = LANES(CR_G), crb = LANES(CR_B), off = LANES(C_OFF);
  const v4 bias = {1, 2, 1, 2};
  for (int x = 0; x < n; x += 8, s0 += 24, s1 += 24) {
    v4 cbs = bias, crs = bias, ye[2], yo[2];
    for (int row = 0; row < 2; row++) {
      const u8 *s = row ? s1 : s0;
      v128_t lo = wasm_v128_load(s), hi = wasm_v128_load64_zero(s + 16);
      /* even pixels 0, 2, 4, 6 and odd pixels 1, 3, 5, 7 */
      v4 re = (v4)wasm_i8x16_shuffle(lo, hi, 0, 24, 24, 24, 6, 24, 24, 24, 12, 24, 24, 24, 18, 24, 24, 24);
      v4 ge = (v4)wasm_i8x16_shuffle(lo, hi, 1, 24, 24, 24, 7, 24, 24, 24, 13, 24, 24, 24, 19, 24, 24, 24);
      v4 be = (v4)wasm_i8x16_shuffle(lo, hi, 2, 24, 24, 24, 8, 24, 24, 24, 14, 24, 24, 24, 20, 24, 24, 24);
      v4 ro = (v4)wasm_i8x16_shuffle(lo, hi, 3, 24, 24, 24, 9, 24, 24, 24, 15, 24, 24, 24, 21, 24, 24, 24);
      v4 go = (v4)wasm_i8x16_shuffle(lo, hi, 4, 24, 24, 24, 10, 24, 24, 24, 16, 24, 24, 24, 22, 24, 24, 24);
      v4 bo = (v4)wasm_i8x16_shuffle(lo, hi, 5, 24, 24, 24, 11, 24, 24, 24, 17, 24, 24, 24, 23, 24, 24, 24);
      ye[row] = (yr * re + yg * ge + yb * be + half) >> 16;
      yo[row] = (yr * ro + yg * go + yb * bo + half) >> 16;
      cbs += ((ch * be - cbr * re - cbg * ge + off) >> 16) + ((ch * bo - cbr * ro - cbg * go + off) >> 16);
      crs += ((ch * re - crg * ge - crb * be + off) >> 16) + ((ch * ro - crg * go - crb * bo + off) >> 16);
    }
    /* Interleave even and odd luma: narrow to [e0..e3, o0..o3] bytes, then shuffle. */
    v128_t n0 = wasm_i16x8_narrow_i32x4((v128_t)ye[0], (v128_t)yo[0]);
    v128_t n1 = wasm_i16x8_narrow_i32x4((v128_t)ye[1], (v128_t)yo[1]);
    v128_t b = wasm_u8x16_narrow_i16x8(n0, n1);
    b = wasm_i8x16_shuffle(b, b, 0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15);
    wasm_v128_store64_lane(y0 + x, b, 0);
    wasm_v128_store64_lane(y1 + x, b, 1);
    v128_t c = wasm_i16x8_narrow_i32x4((v128_t)(cbs >> 2), (v128_t)(crs >> 2));
    c = wasm_u8x16_narrow_i16x8(c, c);
    wasm_v128_store32_lane(cb + (x >> 1), c, 0);
    wasm_v128_store32_lane(cr + (x >> 1), c, 1);
  }
}

/* h2v1: luma of one padded row and chroma of horizontal pairs (bias 0, 1, 0, 1, ...). */
static void convert_h2v1(const u8 *s, u8 *y, u8 *cb, u8 *cr, int n) {
  for (int x = 0, j = 0; x < n; x += 2, j++, s += 6) {
    int r0 = s[0], g0 = s[1], b0 = s[2], r1 = s[3], g1 = s[4], b1 = s[5];
    y[x] = (u8)ycc_y(r0, g0, b0);
    y[x + 1] = (u8)ycc_y(r1, g1, b1);
    int bias = j & 1;
    cb[j] = (u8)((ycc_cb(r0, g0, b0) + ycc_cb(r1, g1, b1) + bias) >> 1);
    cr[j] = (u8)((ycc_cr(r0, g0, b0) + ycc_cr(r1, g1, b1) + bias) >> 1);
  }
}

/* Full resolution (4:4:4). */
static void convert_full(const u8 *s, u8 *y, u8 *cb, u8 *cr, int n) {
  for (int x = 0; x < n; x++, s += 3) {
    int r = s[0], g = s[1], b = s[2];
    y[x] = (u8)ycc_y(r, g, b);
    cb[x] = (u8)ycc_cb(r, g, b);
    cr[x] = (u8)ycc_cr(r, g, b);
  }
}

/* ------------------------------------------------------------------------------------------- */
/* Strips. */

/* Forward + inverse of MCU row m; image row y is read at in + (y - job->inRow0) * w * nc. */
static void forward_strip(Job *job, int m, const u8 *in) {
  int pw = job->pw, cw = job->cw, rows = job->stripRows, y0 = m * rows;
  u8 *luma = job->luma[m & 1];
  if (job->nc == 1) {
    for (int r = 0; r < 8; r++) {
      const u8 *s = input_row(job, in, y0 + r, 0);
      u8 *d = luma + r * pw;
      for (int x = 0; x < pw; x++) d[x] = s[x];
    }
  } else {
    int slot = m % 3;
    u8 *cb = job->cb[slot], *cr = job->cr[slot];
    if (job->vs == 2) {
      for (int k = 0; k < 8; k++) {
        int y = y0 + 2 * k;
        /* chroma rows past the image repeat the last one (jcprepct.c); luma rows repeat row h - 1 */
        int kk = (m * 8 + k < job->chromaRows) ? y : 2 * (job->chromaRows - 1);
        const u8 *s0 = input_row(job, in, kk, 0), *s1 = input_row(job, in, kk + 1, 1);
        convert_h2v2(s0, s1, luma + 2 * k * pw, luma + (2 * k + 1) * pw, cb + k * cw, cr + k * cw, pw);
        if (kk != y) {
          /* the luma of rows y, y + 1 (past the image or the odd last row): row h - 1 */
          const u8 *s = input_row(job, in, y, 0);
          luma_row(s, luma + 2 * k * pw, pw);
          s = input_row(job, in, y + 1, 0);
          luma_row(s, luma + (2 * k + 1) * pw, pw);
        }
      }
    } else {
      for (int r = 0; r < 8; r++) {
        const u8 *s = input_row(job, in, y0 + r, 0);
        if (job->hs == 2) convert_h2v1(s, luma + r * pw, cb + r * cw, cr + r * cw, pw);
        else convert_full(s, luma + r * pw, cb + r * cw, cr + r * cw, pw);
      }
    }
    for (int bx = 0; bx < job->mcusX; bx++) {
      block_roundtrip(cb + bx * 8, cw, job->cq);
      block_roundtrip(cr + bx * 8, cw, job->cq);
    }
  }
  for (int by = 0; by < job->vs; by++) {
    if (m * job->vs + by >= job->lumaBlocksY) break;
    for (int bx = 0; bx < job->lumaBlocksX; bx++) block_roundtrip(luma + by * 8 * pw + bx * 8, pw, job->lq);
  }
}

static inline u8 clamp255(int x) { return (u8)(x < 0 ? 0 : x > 255 ? 255 : x); }

static inline void put_rgb(u8 *o, int y, int cb, int cr) {
  cb -= 128;
  cr -= 128;
  o[0] = clamp255(y + ((91881 * cr + 32768) >> 16));
  o[1] = clamp255(y + ((32768 - 22554 * cb - 46802 * cr) >> 16));
  o[2] = clamp255(y + ((116130 * cb + 32768) >> 16));
}

/* YCbCr -> RGB of 4 pixels (i32 lanes), clamped by the narrowing that follows. */
static inline void ycc_rgb4(v4 y, v4 cb, v4 cr, v4 *r, v4 *g, v4 *b) {
  cb -= LANES(128);
  cr -= LANES(128);
  *r = y + ((cr * 91881 + LANES(32768)) >> 16);
  *g = y + ((LANES(32768) - cb * 22554 - cr * 46802) >> 16);
  *b = y + ((cb * 116130 + LANES(32768)) >> 16);
}

static inline v128_t pack_u8(v4 a, v4 b, v4 c, v4 d) {
  return wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4((v128_t)a, (v128_t)b), wasm_i16x8_narrow_i32x4((v128_t)c, (v128_t)d));
}

/*
 * Fancy h2 upsampling fused with YCbCr -> RGB, 16 output pixels (8 chroma columns) per step while
 * they fit in the row: tb/tr are the padded column sums (see emit_strip). Returns the next chroma
 * column j (pixels 2j.. remain for the scalar loop).
 */
static int fancy_rgb16(const u8 *ys, const int16_t *tb, const int16_t *tr, u8 *o, int w, int biasL, int biasR) {
  const v128_t bl = wasm_i16x8_splat((int16_t)biasL), br = wasm_i16x8_splat((int16_t)biasR), three = wasm_i16x8_splat(3);
  int j = 0;
  for (; 2 * j + 16 <= w; j += 8) {
    v128_t v[2][2]; /* [cb/cr][left/right outputs] as i16x8 */
    for (int c = 0; c < 2; c++) {
      const int16_t *t = c ? tr : tb;
      v128_t prev = wasm_v128_load(t + j), cur = wasm_v128_load(t + j + 1), next = wasm_v128_load(t + j + 2);
      v128_t c3 = wasm_i16x8_mul(cur, three);
      v128_t left = wasm_i16x8_shr(wasm_i16x8_add(wasm_i16x8_add(c3, prev), bl), 4);
      v128_t right = wasm_i16x8_shr(wasm_i16x8_add(wasm_i16x8_add(c3, next), br), 4);
      /* pixel order: l0 r0 l1 r1 ... */
      v[c][0] = wasm_i16x8_shuffle(left, right, 0, 8, 1, 9, 2, 10, 3, 11);
      v[c][1] = wasm_i16x8_shuffle(left, right, 4, 12, 5, 13, 6, 14, 7, 15);
    }
    v128_t yv = wasm_v128_load(ys + 2 * j);
    v128_t ylo = wasm_u16x8_extend_low_u8x16(yv), yhi = wasm_u16x8_extend_high_u8x16(yv);
    v4 y4[4] = {(v4)wasm_u32x4_extend_low_u16x8(ylo), (v4)wasm_u32x4_extend_high_u16x8(ylo),
                (v4)wasm_u32x4_extend_low_u16x8(yhi), (v4)wasm_u32x4_extend_high_u16x8(yhi)};
    v4 r[4], g[4], b[4];
    for (int k = 0; k < 4; k++) {
      v128_t cb8 = v[0][k >> 1], cr8 = v[1][k >> 1];
      v4 cb = (v4)((k & 1) ? wasm_i32x4_extend_high_i16x8(cb8) : wasm_i32x4_extend_low_i16x8(cb8));
      v4 cr = (v4)((k & 1) ? wasm_i32x4_extend_high_i16x8(cr8) : wasm_i32x4_extend_low_i16x8(cr8));
      ycc_rgb4(y4[k], cb, cr, &r[k], &g[k], &b[k]);
    }
    v128_t R = pack_u8(r[0], r[1], r[2], r[3]), G = pack_u8(g[0], g[1], g[2], g[3]), B = pack_u8(b[0], b[1], b[2], b[3]);
    /* interleave to RGBRGB...: 48 bytes */
    v128_t rg0 = wasm_i8x16_shuffle(R, G, 0, 16, 0, 1, 17, 1, 2, 18, 2, 3, 19, 3, 4, 20, 4, 5);
    v128_t o0 = wasm_i8x16_shuffle(rg0, B, 0, 1, 16, 3, 4, 17, 6, 7, 18, 9, 10, 19, 12, 13, 20, 15);
    v128_t rg1 = wasm_i8x16_shuffle(R, G, 21, 5, 6, 22, 6, 7, 23, 7, 8, 24, 8, 9, 25, 9, 10, 26);
    v128_t o1 = wasm_i8x16_shuffle(rg1, B, 0, 21, 2, 3, 22, 5, 6, 23, 8, 9, 24, 11, 12, 25, 14, 15);
    v128_t rg2 = wasm_i8x16_shuffle(R, G, 10, 11, 27, 11, 12, 28, 12, 13, 29, 13, 14, 30, 14, 15, 31, 15);
    v128_t o2 = wasm_i8x16_shuffle(rg2, B, 26, 1, 2, 27, 4, 5, 28, 7, 8, 29, 10, 11, 30, 13, 14, 31);
    wasm_v128_store(o + 6 * j, o0);
    wasm_v128_store(o + 6 * j + 16, o1);
    wasm_v128_store(o + 6 * j + 32, o2);
  }
  return j;
}

/* Output rows of MCU row m: image row y is written at out + (y - job->outRow0) * w * nc. */
static void emit_strip(Job *job, int m, u8 *out) {
  int w = job->w, rows = job->stripRows, y0 = m * rows;
  int y1 = y0 + rows < job->h ? y0 + rows : job->h;
  const u8 *luma = job->luma[m & 1];
  int pw = job->pw, cw = job->cw, dw = job->dw;
  if (job->nc == 1) {
    for (int y = y0; y < y1; y++) {
      const u8 *s = luma + (y - y0) * pw;
      u8 *o = out + (y - job->outRow0) * w;
      for (int x = 0; x < w; x++) o[x] = s[x];
    }
    return;
  }
  for (int y = y0; y < y1; y++) {
    const u8 *ys = luma + (y - y0) * pw;
    u8 *o = out + (y - job->outRow0) * w * 3;
    const u8 *cb0, *cr0, *cb1, *cr1;
    if (job->vs == 2) {
      int i = y >> 1;
      int nb = (y & 1) ? (i + 1 < job->dh ? i + 1 : job->dh - 1) : (i > 0 ? i - 1 : 0);
      cb0 = job->cb[(i >> 3) % 3] + (i & 7) * cw;
      cr0 = job->cr[(i >> 3) % 3] + (i & 7) * cw;
      cb1 = job->cb[(nb >> 3) % 3] + (nb & 7) * cw;
      cr1 = job->cr[(nb >> 3) % 3] + (nb & 7) * cw;
    } else {
      cb0 = cb1 = job->cb[m % 3] + (y - y0) * cw;
      cr0 = cr1 = job->cr[m % 3] + (y - y0) * cw;
    }
    if (job->hs == 1) {
      for (int x = 0; x < w; x++) put_rgb(o + 3 * x, ys[x], cb0[x], cr0[x]);
      continue;
    }
    if (dw <= 2) {
      /* box replication (jdsample.c int_upsample / h2v*_upsample) */
      for (int x = 0; x < w; x++) put_rgb(o + 3 * x, ys[x], cb0[x >> 1], cr0[x >> 1]);
      continue;
    }
    /* fancy: column sums t = 3 * near + far (h2v1: 4 * near), then (3 t + t' + bias) >> 4 */
    int biasL = job->vs == 2 ? 8 : 4, biasR = job->vs == 2 ? 7 : 8;
    int16_t *tb = job->tcb, *tr = job->tcr; /* tb[j + 1] = sum of column j; tb[0], tb[dw + 1] repeat the edges */
    for (int j = 0; j < dw; j++) {
      tb[j + 1] = (int16_t)(cb0[j] * 3 + cb1[j]);
      tr[j + 1] = (int16_t)(cr0[j] * 3 + cr1[j]);
    }
    tb[0] = tb[1];
    tr[0] = tr[1];
    tb[dw + 1] = tb[dw];
    tr[dw + 1] = tr[dw];
    int j = 0;
    if (w >= 16) j = fancy_rgb16(ys, tb, tr, o, w, biasL, biasR);
    for (; 2 * j < w; j++) {
      int tbC = tb[j + 1], trC = tr[j + 1];
      put_rgb(o + 6 * j, ys[2 * j], (3 * tbC + tb[j] + biasL) >> 4, (3 * trC + tr[j] + biasL) >> 4);
      if (2 * j + 1 < w) put_rgb(o + 6 * j + 3, ys[2 * j + 1], (3 * tbC + tb[j + 2] + biasR) >> 4, (3 * trC + tr[j + 2] + biasR) >> 4);
    }
  }
}

/* ------------------------------------------------------------------------------------------- */
/* Exports. */

/*
 * Prepares `job` for w x h images of nc channels with luma sampling hs x vs (1x1 for grayscale),
 * quantization tables at `tables` (luma then chroma Quant), strip buffers from `scratch`.
 * Returns the end of the scratch area.
 */
int rt_setup(Job *job, int w, int h, int nc, int hs, int vs, const Quant *tables, u8 *scratch) {
  if (nc == 1) hs = vs = 1;
  job->w = w;
  job->h = h;
  job->nc = nc;
  job->hs = hs;
  job->vs = vs;
  job->mcusX = (w + 8 * hs - 1) / (8 * hs);
  job->mcusY = (h + 8 * vs - 1) / (8 * vs);
  job->stripRows = 8 * vs;
  job->pw = job->mcusX * 8 * hs;
  job->cw = job->mcusX * 8;
  job->lumaBlocksX = (w + 7) / 8;
  job->lumaBlocksY = (h + 7) / 8;
  job->dw = (w + hs - 1) / hs;
  job->dh = (h + vs - 1) / vs;
  job->chromaRows = (h + 1) >> 1;
  job->lq = tables;
  job->cq = tables + 1;
  uintptr_t top = ((uintptr_t)scratch + 15) & ~(uintptr_t)15;
#define TAKE(ptr, bytes) { ptr = (u8 *)top; top = (top + (uintptr_t)(bytes) + 16 + 15) & ~(uintptr_t)15; }
  int lumaBytes = job->pw * job->stripRows, chromaBytes = nc == 3 ? job->cw * 8 : 0;
  TAKE(job->luma[0], lumaBytes)
  TAKE(job->luma[1], lumaBytes)
  for (int i = 0; i < 3; i++) {
    TAKE(job->cb[i], chromaBytes)
    TAKE(job->cr[i], chromaBytes)
  }
  TAKE(job->padRow[0], job->pw * nc + 32)
  TAKE(job->padRow[1], job->pw * nc + 32)
  {
    u8 *t;
    TAKE(t, 2 * (job->cw + 16))
    job->tcb = (int16_t *)t;
    TAKE(t, 2 * (job->cw + 16))
    job->tcr = (int16_t *)t;
  }
#undef TAKE
  return (int)top;
}

/* Rows of output produced by step m: those of MCU row m - lag (lag 1 for 4:2:0, else 0). */
int rt_lag(const Job *job) { return job->nc == 3 && job->vs == 2 ? 1 : 0; }

/*
 * One step of a streamed image: the forward of MCU row m (m < mcusY) from `in` (the image's rows
 * from row m * stripRows on), then the output of MCU row m - lag (when >= 0) into `out` (its first
 * row there). Steps m = 0 .. mcusY - 1 + lag. Pointer offsets stay within one strip, so images of
 * any size (up to 65500 x 65500) stream without 32-bit overflow.
 */
void rt_step(Job *job, int m, const u8 *in, u8 *out) {
  int lag = rt_lag(job);
  if (m < job->mcusY) {
    job->inRow0 = m * job->stripRows;
    forward_strip(job, m, in);
  }
  int e = m - lag;
  if (e >= 0) {
    job->outRow0 = e * job->stripRows;
    emit_strip(job, e, out);
  }
}

/* `count` whole images, each w * h * nc bytes, from `in` to `out`. */
void rt_batch(Job *job, const u8 *in, u8 *out, int count) {
  int lag = rt_lag(job), size = job->w * job->h * job->nc;
  job->inRow0 = job->outRow0 = 0;
  for (int i = 0; i < count; i++, in += size, out += size) {
    for (int m = 0; m < job->mcusY + lag; m++) {
      if (m < job->mcusY) forward_strip(job, m, in);
      if (m - lag >= 0) emit_strip(job, m - lag, out);
    }
  }
}
