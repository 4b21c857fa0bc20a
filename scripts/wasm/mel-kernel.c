/*
 * The mel-spectrogram hot loop for WebAssembly SIMD (f64x2: double precision throughout, as the
 * JavaScript path in src/audio/fft.ts and src/audio/mel.ts). Built by scripts/build-mel-wasm.sh
 * into src/audio/mel-kernel-wasm.ts. Per frame: windowed gather into bit-reversed order, a
 * half-size complex FFT in radix-2^2 passes, the real-FFT untangling into the power spectrum,
 * and the sparse mel filterbank product. The tables are made by the JavaScript side.
 *
 * plan (int32): [0] h = nFft / 2 (power of two >= 4), [1] oddFirst, [2] nPasses, [3] lengths*,
 * [4] offsets* (in doubles from table), [5] table* (per pass: w1r, w1i, w2r, w2i, q each),
 * [6] window*, [7] rev2*, [8] ucos*, [9] usin*, [10] zr*, [11] zi*, [12] spec*, [13] nMels,
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

/* Frames t0 .. t0 + count - 1 read from src[start + f * hop + n]; out is [nMels, nFrames] float32. */
void frames(const int *plan, const float *src, int start, int count, int hop, float *out, int nFrames, int t0) {
  int h = plan[0], oddFirst = plan[1], nPasses = plan[2];
  const int *lengths = (const int *)plan[3], *offsets = (const int *)plan[4];
  const double *table = (const double *)plan[5], *window = (const double *)plan[6];
  const int *rev2 = (const int *)plan[7];
  const double *ucos = (const double *)plan[8], *usin = (const double *)plan[9];
  double *zr = (double *)plan[10], *zi = (double *)plan[11], *spec = (double *)plan[12];
  int nMels = plan[13];
  const int *lo = (const int *)plan[14], *hi = (const int *)plan[15], *at = (const int *)plan[16];
  const double *weights = (const double *)plan[17];
  int power = plan[18];
  for (int f = 0; f < count; f++) {
    const float *x = src + start + f * hop;
    if (oddFirst) {
      for (int i = 0; i < h; i += 2) {
        int p0 = rev2[i], p1 = rev2[i + 1];
        double ar = (double)x[p0] * window[p0], ai = (double)x[p0 + 1] * window[p0 + 1];
        double br = (double)x[p1] * window[p1], bi = (double)x[p1 + 1] * window[p1 + 1];
        zr[i] = ar + br; zi[i] = ai + bi;
        zr[i + 1] = ar - br; zi[i + 1] = ai - bi;
      }
    } else {
      for (int i = 0; i < h; i += 4) {
        int p0 = rev2[i], p1 = rev2[i + 1], p2 = rev2[i + 2], p3 = rev2[i + 3];
        double r0 = (double)x[p0] * window[p0], i0 = (double)x[p0 + 1] * window[p0 + 1];
        double r1 = (double)x[p1] * window[p1], i1 = (double)x[p1 + 1] * window[p1 + 1];
        double r2 = (double)x[p2] * window[p2], i2 = (double)x[p2 + 1] * window[p2 + 1];
        double r3 = (double)x[p3] * window[p3], i3 = (double)x[p3 + 1] * window[p3 + 1];
        double ar = r0 + r1, ai = i0 + i1, br = r0 - r1, bi = i0 - i1;
        double cr = r2 + r3, ci = i2 + i3, dr = r2 - r3, di = i2 - i3;
        zr[i] = ar + cr; zi[i] = ai + ci;
        zr[i + 2] = ar - cr; zi[i + 2] = ai - ci;
        zr[i + 1] = br + di; zi[i + 1] = bi - dr;
        zr[i + 3] = br - di; zi[i + 3] = bi + dr;
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

/* ln(x) for normal x > 0: exponent split, mantissa in [sqrt(1/2), sqrt(2)), atanh series
 * (|s| <= 0.1716, terms to s^17: relative error below 1e-15). */
static double ln(double x) {
  union { double d; unsigned long long u; } v = { x };
  int e = (int)((v.u >> 52) & 0x7ff) - 1023;
  v.u = (v.u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
  double m = v.d;
  if (m > 1.4142135623730951) { m *= 0.5; e += 1; }
  double s = (m - 1) / (m + 1), s2 = s * s;
  double p = 1.0 / 17;
  p = p * s2 + 1.0 / 15; p = p * s2 + 1.0 / 13; p = p * s2 + 1.0 / 11; p = p * s2 + 1.0 / 9;
  p = p * s2 + 1.0 / 7; p = p * s2 + 1.0 / 5; p = p * s2 + 1.0 / 3; p = p * s2 + 1.0;
  return e * 0.6931471805599453 + 2 * s * p;
}

/* In place: x = 10 log10(max(amin, squared ? x^2 : x)) - offsetDb, then, when topDb >= 0, raised to
 * at least max - topDb (max rounded to float32, as librosa's float32 arrays). amin must be normal. */
void to_db(float *x, int n, double offsetDb, double amin, double topDb, int squared) {
  const double k = 4.3429448190325175; /* 10 / ln 10 */
  float max = -__builtin_inff();
  for (int i = 0; i < n; i++) {
    double v = x[i];
    if (squared) v *= v;
    if (!(v > amin)) v = amin;
    float db = (float)(k * ln(v) - offsetDb);
    x[i] = db;
    if (db > max) max = db;
  }
  if (topDb >= 0 && n > 0) {
    double floor = (double)max - topDb;
    for (int i = 0; i < n; i++) if (x[i] < floor) x[i] = (float)floor;
  }
}
