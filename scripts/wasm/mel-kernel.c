/*
 * The mel-spectrogram hot loop for WebAssembly SIMD (f64x2: double precision throughout, as the
 * JavaScript path in src/audio/fft.ts and src/audio/mel.ts). Built by scripts/build-mel-wasm.sh
 * into src/audio/mel-kernel-wasm.ts. Per frame: windowed gather into bit-reversed order, a
 * half-size complex FFT in radix-2^2 passes, the real-FFT untangling into the power spectrum,
 * and the sparse mel filterbank product. The tables are made by the JavaScript side.
 *
 * plan (int32): [0] h = nFft / 2 (power of two >= 4), [1] oddFirst, [2] nPasses, [3] lengths*,
 * [4] offsets* (in doubles from table), [5] table* (per pass: w1r, w1i, w2r, w2i, q each),
 * [6] wperm* (window[rev2[i]], window[rev2[i] + 1] for i < h), [7] rev2*, [8] ucos*, [9] usin*, [10] zr*, [11] zi*, [12] spec*, [13] nMels,
 * [14] lo*, [15] hi*, [16] at*, [17] weights*, [18] power (1 or 2).
 */
#include <wasm_simd128.h>

#define LD(p) wasm_v128_load(p)
#define ST(p, v) wasm_v128_store(p, v)
#define ADD wasm_f64x2_add
#define SUB wasm_f64x2_sub
#define MUL wasm_f64x2_mul

/* The radix-2^2 passes after the first (trivial) stages, which the gather does. */
static void passes(double *zr, double *zi, int n, int nPasses, const int *lengths, const int *offsets,
                   const double *table) {
  for (int s = 0; s < nPasses; s++) {
    int l = lengths[s], q = l >> 2;
    const double *w1r = table + offsets[s], *w1i = w1r + q, *w2r = w1i + q, *w2i = w2r + q;
    for (int j = 0; j < q; j += 2) {
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
}

/* Frames t0 .. t0 + count - 1 read from src[start + f * hop + n] (doubles); out is [nMels, nFrames] float32. */
void frames(const int *plan, const double *src, int start, int count, int hop, float *out, int nFrames, int t0) {
  int h = plan[0], oddFirst = plan[1], nPasses = plan[2];
  const int *lengths = (const int *)plan[3], *offsets = (const int *)plan[4];
  const double *table = (const double *)plan[5], *wperm = (const double *)plan[6];
  const int *rev2 = (const int *)plan[7];
  const double *ucos = (const double *)plan[8], *usin = (const double *)plan[9];
  double *zr = (double *)plan[10], *zi = (double *)plan[11], *spec = (double *)plan[12];
  int nMels = plan[13];
  const int *lo = (const int *)plan[14], *hi = (const int *)plan[15], *at = (const int *)plan[16];
  const double *weights = (const double *)plan[17];
  int power = plan[18];
  for (int f = 0; f < count; f++) {
    const double *x = src + start + f * hop;
    /* Gather (x[p], x[p+1]) * (w[p], w[p+1]) for p = rev2[i] as one complex value per lane pair
     * (window stored in that order), then the first stage(s) on interleaved values, stored split. */
    if (oddFirst) {
      for (int i = 0; i < h; i += 2) {
        v128_t a = MUL(LD(x + rev2[i]), LD(wperm + 2 * i));
        v128_t b = MUL(LD(x + rev2[i + 1]), LD(wperm + 2 * i + 2));
        v128_t s0 = ADD(a, b), s1 = SUB(a, b);
        ST(zr + i, wasm_i64x2_shuffle(s0, s1, 0, 2));
        ST(zi + i, wasm_i64x2_shuffle(s0, s1, 1, 3));
      }
    } else {
      for (int i = 0; i < h; i += 4) {
        v128_t a0 = MUL(LD(x + rev2[i]), LD(wperm + 2 * i));
        v128_t a1 = MUL(LD(x + rev2[i + 1]), LD(wperm + 2 * i + 2));
        v128_t a2 = MUL(LD(x + rev2[i + 2]), LD(wperm + 2 * i + 4));
        v128_t a3 = MUL(LD(x + rev2[i + 3]), LD(wperm + 2 * i + 6));
        v128_t a = ADD(a0, a1), b = SUB(a0, a1), c = ADD(a2, a3), d = SUB(a2, a3);
        /* -i d = (di, -dr) */
        v128_t e = wasm_i64x2_shuffle(d, wasm_f64x2_neg(d), 1, 2);
        v128_t o0 = ADD(a, c), o2 = SUB(a, c), o1 = ADD(b, e), o3 = SUB(b, e);
        ST(zr + i, wasm_i64x2_shuffle(o0, o1, 0, 2));
        ST(zi + i, wasm_i64x2_shuffle(o0, o1, 1, 3));
        ST(zr + i + 2, wasm_i64x2_shuffle(o2, o3, 0, 2));
        ST(zi + i + 2, wasm_i64x2_shuffle(o2, o3, 1, 3));
      }
    }
    passes(zr, zi, h, nPasses, lengths, offsets, table);
    double z0 = zr[0], z1 = zi[0];
    spec[0] = (z0 + z1) * (z0 + z1);
    spec[h] = (z0 - z1) * (z0 - z1);
    /* X[k] = E + W^k O and X[h-k] = conj(E - W^k O); two k at a time (k, k+1 with m, m-1). */
    const v128_t half = wasm_f64x2_splat(0.5);
    int k = 1, m = h - 1;
    for (; k + 1 < m - 1; k += 2, m -= 2) {
      v128_t ar = LD(zr + k), ai = LD(zi + k);
      v128_t br = LD(zr + m - 1), bi = LD(zi + m - 1);
      br = wasm_i64x2_shuffle(br, br, 1, 0);
      bi = wasm_f64x2_neg(wasm_i64x2_shuffle(bi, bi, 1, 0));
      v128_t er = MUL(half, ADD(ar, br)), ei = MUL(half, ADD(ai, bi));
      v128_t or_ = MUL(half, SUB(ai, bi)), oi = MUL(half, SUB(br, ar));
      v128_t wr = LD(ucos + k), wi = LD(usin + k);
      v128_t tr = SUB(MUL(wr, or_), MUL(wi, oi)), ti = ADD(MUL(wr, oi), MUL(wi, or_));
      v128_t xr = ADD(er, tr), xi = ADD(ei, ti), yr = SUB(er, tr), yi = SUB(ei, ti);
      ST(spec + k, ADD(MUL(xr, xr), MUL(xi, xi)));
      v128_t py = ADD(MUL(yr, yr), MUL(yi, yi));
      ST(spec + m - 1, wasm_i64x2_shuffle(py, py, 1, 0));
    }
    for (; k <= m; k++, m--) {
      double ar = zr[k], ai = zi[k], br = zr[m], bi = -zi[m];
      double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
      double or_ = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
      double wr = ucos[k], wi = usin[k];
      double tr = wr * or_ - wi * oi, ti = wr * oi + wi * or_;
      double xr = er + tr, xi = ei + ti, yr = er - tr, yi = ei - ti;
      spec[k] = xr * xr + xi * xi;
      spec[m] = yr * yr + yi * yi;
    }
    if (power == 1) {
      int bins = h + 1, k = 0;
      for (; k + 2 <= bins; k += 2) ST(spec + k, wasm_f64x2_sqrt(LD(spec + k)));
      for (; k < bins; k++) spec[k] = __builtin_sqrt(spec[k]);
    }
    int t = t0 + f;
    for (int m = 0; m < nMels; m++) {
      int a = lo[m], b = hi[m];
      const double *w = weights + at[m] - a;
      v128_t acc = wasm_f64x2_splat(0.0);
      int k = a;
      for (; k + 2 <= b; k += 2) acc = ADD(acc, MUL(LD(w + k), LD(spec + k)));
      double sum = wasm_f64x2_extract_lane(acc, 0) + wasm_f64x2_extract_lane(acc, 1);
      for (; k < b; k++) sum += w[k] * spec[k];
      out[m * nFrames + t] = (float)sum;
    }
  }
}

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
