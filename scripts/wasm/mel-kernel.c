/*
 * The mel-spectrogram hot loop for WebAssembly SIMD in single precision (f32x4), the precision
 * librosa 0.10 keeps a float32 signal's spectrogram in (complex64 STFT, float32 filterbank
 * product). Built by scripts/build-mel-wasm.sh into src/audio/mel-kernel-wasm.ts. Per frame: the
 * windowed gather into bit-reversed order with the first radix-4 (or radix-2) stage, a half-size
 * complex FFT in radix-2^2 passes, the real-FFT untangling into the power spectrum, and the sparse
 * mel filterbank product. The tables are made by the JavaScript side (src/audio/mel-wasm.ts).
 *
 * plan (int32): [0] h = nFft / 2 (power of two >= 4), [1] oddFirst, [2] nPasses, [3] lengths*,
 * [4] offsets* (in floats from table), [5] table* (per pass: w1r, w1i, w2r, w2i, q each),
 * [6] wperm* (window pairs in gather order, below), [7] rev2*, [8] ucos*, [9] usin*, [10] zr*,
 * [11] zi*, [12] spec*, [13] nMels, [14] lo*, [15] hi*, [16] at*, [17] weights*, [18] power (1, 2).
 */
#include <wasm_simd128.h>

#define LD(p) wasm_v128_load(p)
#define ST(p, v) wasm_v128_store(p, v)
#define ADD wasm_f32x4_add
#define SUB wasm_f32x4_sub
#define MUL wasm_f32x4_mul
#define SHUF wasm_i32x4_shuffle

/* Two complex values (re, im, re, im) from x + p and x + r. */
static inline v128_t pair(const float *x, int p, int r) {
  return wasm_v128_load64_lane(x + r, wasm_v128_load64_zero(x + p), 1);
}

/* One radix-2^2 pass of length l (q = l / 4 >= 4: four butterflies per vector). */
static void pass4(float *zr, float *zi, int n, int l, const float *tw) {
  int q = l >> 2;
  const float *w1r = tw, *w1i = w1r + q, *w2r = w1i + q, *w2i = w2r + q;
  for (int j = 0; j < q; j += 4) {
    v128_t W1r = LD(w1r + j), W1i = LD(w1i + j), W2r = LD(w2r + j), W2i = LD(w2i + j);
    for (int i0 = j; i0 < n; i0 += l) {
      int i1 = i0 + q, i2 = i1 + q, i3 = i2 + q;
      v128_t a0r = LD(zr + i0), a0i = LD(zi + i0);
      v128_t xr = LD(zr + i1), xi = LD(zi + i1);
      v128_t t1r = SUB(MUL(xr, W2r), MUL(xi, W2i)), t1i = ADD(MUL(xr, W2i), MUL(xi, W2r));
      v128_t a2r = LD(zr + i2), a2i = LD(zi + i2);
      xr = LD(zr + i3); xi = LD(zi + i3);
      v128_t t3r = SUB(MUL(xr, W2r), MUL(xi, W2i)), t3i = ADD(MUL(xr, W2i), MUL(xi, W2r));
      v128_t b0r = ADD(a0r, t1r), b0i = ADD(a0i, t1i), b1r = SUB(a0r, t1r), b1i = SUB(a0i, t1i);
      v128_t b2r = ADD(a2r, t3r), b2i = ADD(a2i, t3i), b3r = SUB(a2r, t3r), b3i = SUB(a2i, t3i);
      v128_t u2r = SUB(MUL(b2r, W1r), MUL(b2i, W1i)), u2i = ADD(MUL(b2r, W1i), MUL(b2i, W1r));
      v128_t v3r = SUB(MUL(b3r, W1r), MUL(b3i, W1i)), v3i = ADD(MUL(b3r, W1i), MUL(b3i, W1r));
      ST(zr + i0, ADD(b0r, u2r)); ST(zi + i0, ADD(b0i, u2i));
      ST(zr + i2, SUB(b0r, u2r)); ST(zi + i2, SUB(b0i, u2i));
      ST(zr + i1, ADD(b1r, v3i)); ST(zi + i1, SUB(b1i, v3r));
      ST(zr + i3, SUB(b1r, v3i)); ST(zi + i3, ADD(b1i, v3r));
    }
  }
}

/* The pass of length 8 (q = 2), which follows a radix-2 first stage: two butterflies per
 * vector, the lanes (j = 0, 1) of blocks i0 and i0 + 8 side by side. */
static void pass2(float *zr, float *zi, int n, const float *tw) {
  const v128_t W1r = SHUF(LD(tw), LD(tw), 0, 1, 0, 1), W1i = SHUF(LD(tw), LD(tw), 2, 3, 2, 3);
  const v128_t W2r = SHUF(LD(tw + 4), LD(tw + 4), 0, 1, 0, 1), W2i = SHUF(LD(tw + 4), LD(tw + 4), 2, 3, 2, 3);
  const int next = n >= 16 ? 8 : 0;
  for (int i0 = 0; i0 < n; i0 += 16) {
    /* lanes 0, 1: block i0 (j = 0, 1); lanes 2, 3: block i0 + 8 (the same block again when n is 8) */
#define G(z, o) SHUF(wasm_v128_load64_zero(z + i0 + o), wasm_v128_load64_zero(z + i0 + next + o), 0, 1, 4, 5)
    v128_t a0r = G(zr, 0), a0i = G(zi, 0), xr = G(zr, 2), xi = G(zi, 2);
    v128_t t1r = SUB(MUL(xr, W2r), MUL(xi, W2i)), t1i = ADD(MUL(xr, W2i), MUL(xi, W2r));
    v128_t a2r = G(zr, 4), a2i = G(zi, 4);
    xr = G(zr, 6); xi = G(zi, 6);
#undef G
    v128_t t3r = SUB(MUL(xr, W2r), MUL(xi, W2i)), t3i = ADD(MUL(xr, W2i), MUL(xi, W2r));
    v128_t b0r = ADD(a0r, t1r), b0i = ADD(a0i, t1i), b1r = SUB(a0r, t1r), b1i = SUB(a0i, t1i);
    v128_t b2r = ADD(a2r, t3r), b2i = ADD(a2i, t3i), b3r = SUB(a2r, t3r), b3i = SUB(a2i, t3i);
    v128_t u2r = SUB(MUL(b2r, W1r), MUL(b2i, W1i)), u2i = ADD(MUL(b2r, W1i), MUL(b2i, W1r));
    v128_t v3r = SUB(MUL(b3r, W1r), MUL(b3i, W1i)), v3i = ADD(MUL(b3r, W1i), MUL(b3i, W1r));
#define S(z, o, v) wasm_v128_store64_lane(z + i0 + o, v, 0); wasm_v128_store64_lane(z + i0 + next + o, v, 1)
    S(zr, 0, ADD(b0r, u2r)); S(zi, 0, ADD(b0i, u2i));
    S(zr, 4, SUB(b0r, u2r)); S(zi, 4, SUB(b0i, u2i));
    S(zr, 2, ADD(b1r, v3i)); S(zi, 2, SUB(b1i, v3r));
    S(zr, 6, SUB(b1r, v3i)); S(zi, 6, ADD(b1i, v3r));
#undef S
  }
}

/* Frames t0 .. t0 + count - 1 read from src[start + f * hop + n]; out is [nMels, nFrames]. */
void frames(const int *plan, const float *src, int start, int count, int hop, float *out, int nFrames, int t0) {
  int h = plan[0], oddFirst = plan[1], nPasses = plan[2];
  const int *lengths = (const int *)plan[3], *offsets = (const int *)plan[4];
  const float *table = (const float *)plan[5], *wperm = (const float *)plan[6];
  const int *rev2 = (const int *)plan[7];
  const float *ucos = (const float *)plan[8], *usin = (const float *)plan[9];
  float *zr = (float *)plan[10], *zi = (float *)plan[11], *spec = (float *)plan[12];
  int nMels = plan[13];
  const int *lo = (const int *)plan[14], *hi = (const int *)plan[15], *at = (const int *)plan[16];
  const float *weights = (const float *)plan[17];
  int power = plan[18];
  /* (dr, di, cr, ci) -> (cr, ci, di, -dr) */
  const v128_t flip = wasm_f32x4_make(1.0f, 1.0f, 1.0f, -1.0f);
  for (int f = 0; f < count; f++) {
    const float *x = src + start + f * hop;
    /* Complex values a0..a3 of positions i..i+3 (p = rev2[.]): P = (a0, a2), Q = (a1, a3), each
     * times its window pair (wperm holds them in that order). */
    if (oddFirst) {
      for (int i = 0; i < h; i += 4) {
        v128_t P = MUL(pair(x, rev2[i], rev2[i + 2]), LD(wperm + 2 * i));
        v128_t Q = MUL(pair(x, rev2[i + 1], rev2[i + 3]), LD(wperm + 2 * i + 4));
        v128_t s = ADD(P, Q), d = SUB(P, Q); /* (s0, s2), (s1, s3) */
        ST(zr + i, SHUF(s, d, 0, 4, 2, 6));
        ST(zi + i, SHUF(s, d, 1, 5, 3, 7));
      }
    } else {
      for (int i = 0; i < h; i += 4) {
        v128_t P = MUL(pair(x, rev2[i], rev2[i + 2]), LD(wperm + 2 * i));
        v128_t Q = MUL(pair(x, rev2[i + 1], rev2[i + 3]), LD(wperm + 2 * i + 4));
        v128_t s = ADD(P, Q), d = SUB(P, Q); /* (a, c), (b, d) */
        v128_t u = SHUF(s, d, 0, 1, 4, 5); /* (a, b) */
        v128_t v = MUL(SHUF(s, d, 2, 3, 7, 6), flip); /* (c, -i d) */
        v128_t lo4 = ADD(u, v), hi4 = SUB(u, v); /* (o0, o1), (o2, o3) */
        ST(zr + i, SHUF(lo4, hi4, 0, 2, 4, 6));
        ST(zi + i, SHUF(lo4, hi4, 1, 3, 5, 7));
      }
    }
    for (int s = 0; s < nPasses; s++) {
      if (lengths[s] == 8) pass2(zr, zi, h, table + offsets[s]);
      else pass4(zr, zi, h, lengths[s], table + offsets[s]);
    }
    float z0 = zr[0], z1 = zi[0];
    spec[0] = (z0 + z1) * (z0 + z1);
    spec[h] = (z0 - z1) * (z0 - z1);
    /* X[k] = E + W^k O and X[h-k] = conj(E - W^k O); four k at a time (k..k+3 with m..m-3). */
    const v128_t half = wasm_f32x4_splat(0.5f);
    int k = 1, m = h - 1;
    for (; k + 3 < m - 3; k += 4, m -= 4) {
      v128_t ar = LD(zr + k), ai = LD(zi + k);
      v128_t br = LD(zr + m - 3), bi = LD(zi + m - 3);
      br = SHUF(br, br, 3, 2, 1, 0);
      bi = wasm_f32x4_neg(SHUF(bi, bi, 3, 2, 1, 0));
      v128_t er = MUL(half, ADD(ar, br)), ei = MUL(half, ADD(ai, bi));
      v128_t or_ = MUL(half, SUB(ai, bi)), oi = MUL(half, SUB(br, ar));
      v128_t wr = LD(ucos + k), wi = LD(usin + k);
      v128_t tr = SUB(MUL(wr, or_), MUL(wi, oi)), ti = ADD(MUL(wr, oi), MUL(wi, or_));
      v128_t xr = ADD(er, tr), xi = ADD(ei, ti), yr = SUB(er, tr), yi = SUB(ei, ti);
      ST(spec + k, ADD(MUL(xr, xr), MUL(xi, xi)));
      v128_t py = ADD(MUL(yr, yr), MUL(yi, yi));
      ST(spec + m - 3, SHUF(py, py, 3, 2, 1, 0));
    }
    for (; k <= m; k++, m--) {
      float ar = zr[k], ai = zi[k], br = zr[m], bi = -zi[m];
      float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
      float or_ = 0.5f * (ai - bi), oi = -0.5f * (ar - br);
      float wr = ucos[k], wi = usin[k];
      float tr = wr * or_ - wi * oi, ti = wr * oi + wi * or_;
      float xr = er + tr, xi = ei + ti, yr = er - tr, yi = ei - ti;
      spec[k] = xr * xr + xi * xi;
      spec[m] = yr * yr + yi * yi;
    }
    if (power == 1) {
      int bins = h + 1, k = 0;
      for (; k + 4 <= bins; k += 4) ST(spec + k, wasm_f32x4_sqrt(LD(spec + k)));
      for (; k < bins; k++) spec[k] = __builtin_sqrtf(spec[k]);
    }
    int t = t0 + f;
    for (int m = 0; m < nMels; m++) {
      int a = lo[m], b = hi[m];
      const float *w = weights + at[m] - a;
      v128_t acc = wasm_f32x4_splat(0.0f);
      int k = a;
      for (; k + 4 <= b; k += 4) acc = ADD(acc, MUL(LD(w + k), LD(spec + k)));
      acc = ADD(acc, SHUF(acc, acc, 2, 3, 0, 1));
      float sum = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1);
      for (; k < b; k++) sum += w[k] * spec[k];
      out[m * nFrames + t] = sum;
    }
  }
}

/* The dB conversion runs in double precision (f64x2). */
#undef ADD
#undef SUB
#undef MUL
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul

/* ln of two normal doubles > 0: exponent split, mantissa in [sqrt(1/2), sqrt(2)), atanh series
 * (|s| <= 0.1716, terms to s^17: relative error below 1e-15). */
static v128_t ln2x(v128_t x) {
  /* exponent: high 32 bits of each lane >> 20, minus the bias, as two i32 lanes -> f64 */
  v128_t hiw = wasm_i32x4_shuffle(x, x, 1, 3, 1, 3);
  v128_t e = wasm_i32x4_sub(wasm_u32x4_shr(hiw, 20), wasm_i32x4_splat(1023));
  v128_t ef = wasm_f64x2_convert_low_i32x4(e);
  v128_t m = wasm_v128_or(wasm_v128_and(x, wasm_i64x2_splat(0x000fffffffffffffLL)), wasm_i64x2_splat(0x3ff0000000000000LL));
  v128_t big = wasm_f64x2_gt(m, wasm_f64x2_splat(1.4142135623730951));
  m = wasm_v128_bitselect(MUL(m, wasm_f64x2_splat(0.5)), m, big);
  ef = ADD(ef, wasm_v128_and(big, wasm_f64x2_splat(1.0)));
  v128_t s = wasm_f64x2_div(SUB(m, wasm_f64x2_splat(1.0)), ADD(m, wasm_f64x2_splat(1.0)));
  v128_t s2 = MUL(s, s);
  v128_t p = wasm_f64x2_splat(1.0 / 17);
  p = ADD(MUL(p, s2), wasm_f64x2_splat(1.0 / 15)); p = ADD(MUL(p, s2), wasm_f64x2_splat(1.0 / 13));
  p = ADD(MUL(p, s2), wasm_f64x2_splat(1.0 / 11)); p = ADD(MUL(p, s2), wasm_f64x2_splat(1.0 / 9));
  p = ADD(MUL(p, s2), wasm_f64x2_splat(1.0 / 7)); p = ADD(MUL(p, s2), wasm_f64x2_splat(1.0 / 5));
  p = ADD(MUL(p, s2), wasm_f64x2_splat(1.0 / 3)); p = ADD(MUL(p, s2), wasm_f64x2_splat(1.0));
  return ADD(MUL(ef, wasm_f64x2_splat(0.6931471805599453)), MUL(ADD(s, s), p));
}

/* In place: x = 10 log10(max(amin, squared ? x^2 : x)) - offsetDb, then, when topDb >= 0, raised to
 * at least max - topDb (max rounded to float32, as librosa's float32 arrays). amin must be normal. */
void to_db(float *x, int n, double offsetDb, double amin, double topDb, int squared) {
  const v128_t k = wasm_f64x2_splat(4.3429448190325175); /* 10 / ln 10 */
  const v128_t off = wasm_f64x2_splat(offsetDb), lo = wasm_f64x2_splat(amin);
  v128_t vmax = wasm_f64x2_splat(-__builtin_inf());
  int i = 0;
  for (; i + 2 <= n; i += 2) {
    v128_t v = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(x + i));
    if (squared) v = MUL(v, v);
    v = wasm_f64x2_pmax(lo, v); /* max(amin, v) */
    v128_t db = SUB(MUL(k, ln2x(v)), off);
    v128_t f = wasm_f32x4_demote_f64x2_zero(db);
    wasm_v128_store64_lane(x + i, f, 0);
    vmax = wasm_f64x2_pmax(vmax, db);
  }
  double max = wasm_f64x2_extract_lane(vmax, 0);
  if (wasm_f64x2_extract_lane(vmax, 1) > max) max = wasm_f64x2_extract_lane(vmax, 1);
  for (; i < n; i++) {
    double v = x[i];
    if (squared) v *= v;
    if (!(v > amin)) v = amin;
    v128_t db = SUB(MUL(k, ln2x(wasm_f64x2_splat(v))), off);
    double d = wasm_f64x2_extract_lane(db, 0);
    x[i] = (float)d;
    if (d > max) max = d;
  }
  if (topDb >= 0 && n > 0) {
    float floor = (float)((double)(float)max - topDb);
    v128_t fl = wasm_f32x4_splat(floor);
    int j = 0;
    for (; j + 4 <= n; j += 4) wasm_v128_store(x + j, wasm_f32x4_pmax(fl, wasm_v128_load(x + j)));
    for (; j < n; j++) if (x[j] < floor) x[j] = floor;
  }
}
