/*
 * Convolution kernels for WebAssembly SIMD (f32x4): the filter gradient (`dw`) of a 2-D
 * convolution (NHWC, no dilation), in one pass over the images with no im2col matrix: per image,
 * per filter tap, per tile of 4 (or 1) input channels x 8 (or 4) output channels, the tile's
 * products are summed over the image's output positions in f32x4 registers and then added to a
 * double-precision total. Built by scripts/build-conv-wasm.sh into
 * src/models/wasm-training/conv-kernel-wasm.ts and conv-kernel-shared-wasm.ts; used by
 * src/models/wasm-training/conv2d-backprop-filter-direct.ts through direct-kernels.ts. The
 * kernels run in place on the memory of tfjs's wasm backend (imported): no data segments, no
 * stack (checked by the build script).
 *
 *   dW[a, b, c, o] = sum over n, i, j of x[n, i*sh + a - top, j*sw + b - left, c] * dy[n, i, j, o]
 *
 * x is [n, h, w, ci], dy [n, ho, wo, cop] with the output channels padded to cop (a multiple of 4;
 * by the caller where needed), each total [kh, kw, ci, cop] doubles (zeroed by the caller: a loop
 * here would become a memset call, which this module has no libc for). `dw` takes a range of
 * images, so that threads sharing the memory (the shared build) can each fill their own total;
 * `finish` sums the totals into float32.
 *
 * A forward-convolution kernel of the same design (tiles of 4 columns x 8 channels, in place,
 * borders skipped) was measured against XNNPACK's on model A and left out: 1842 vs 1646 ms per
 * batch of 128 on one thread, 1343 vs 1132 on two.
 */
#include <wasm_simd128.h>

#define ADD wasm_f32x4_add
#define MUL wasm_f32x4_mul
#define LD(p) wasm_v128_load(p)
#define SPLAT(p) wasm_v128_load32_splat(p)

struct geom {
  int h, w, ci, ho, wo, cop, sh, sw, iLo, iHi, jLo, jHi, y0, x0;
};

/* acc[CI x CO vectors] += x[.., c0 + k] * dy[.., o0 + 4v] over the valid positions; CI in {1, 4},
 * CO in {1, 2} (vectors of 4), then added to tot[(c0 + k) * cop + o0 + 4v] in double. */
static inline __attribute__((always_inline)) void tile(const float *x, const float *dy, double *tot, const struct geom *g,
                                                      int c0, int o0, const int CI, const int CO) {
  v128_t acc[4][2];
  for (int k = 0; k < CI; k++)
    for (int v = 0; v < CO; v++) acc[k][v] = wasm_f32x4_splat(0.0f);
  const int xStep = g->sw * g->ci;
  for (int i = g->iLo; i <= g->iHi; i++) {
    const float *px = x + ((i * g->sh + g->y0) * g->w + g->jLo * g->sw + g->x0) * g->ci + c0;
    const float *pd = dy + (i * g->wo + g->jLo) * g->cop + o0;
    for (int j = g->jLo; j <= g->jHi; j++, px += xStep, pd += g->cop) {
      v128_t d0 = LD(pd), d1 = CO > 1 ? LD(pd + 4) : d0;
      for (int k = 0; k < CI; k++) {
        v128_t s = SPLAT(px + k);
        acc[k][0] = ADD(acc[k][0], MUL(s, d0));
        if (CO > 1) acc[k][1] = ADD(acc[k][1], MUL(s, d1));
      }
    }
  }
  for (int k = 0; k < CI; k++) {
    for (int v = 0; v < CO; v++) {
      double *t = tot + (c0 + k) * g->cop + o0 + 4 * v;
      v128_t lo = wasm_f64x2_promote_low_f32x4(acc[k][v]);
      v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(acc[k][v], acc[k][v], 2, 3, 2, 3));
      wasm_v128_store(t, wasm_f64x2_add(wasm_v128_load(t), lo));
      wasm_v128_store(t + 2, wasm_f64x2_add(wasm_v128_load(t + 2), hi));
    }
  }
}

static int ceilDiv(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
static int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/* Images n0 .. n1 - 1 added into tot [kh, kw, ci, cop] (doubles, zeroed by the caller). */
void dw(const float *x, const float *dy, double *tot, int n0, int n1, int h, int w, int ci, int ho, int wo, int cop,
        int kh, int kw, int sh, int sw, int top, int left) {
  struct geom g = {h, w, ci, ho, wo, cop, sh, sw, 0, 0, 0, 0, 0, 0};
  for (int a = 0; a < kh; a++) {
    /* output rows whose input row i*sh + a - top lies in [0, h) */
    g.y0 = a - top;
    g.iLo = ceilDiv(-g.y0, sh); if (g.iLo < 0) g.iLo = 0;
    g.iHi = floorDiv(h - 1 - g.y0, sh); if (g.iHi > ho - 1) g.iHi = ho - 1;
    for (int b = 0; b < kw; b++) {
      g.x0 = b - left;
      g.jLo = ceilDiv(-g.x0, sw); if (g.jLo < 0) g.jLo = 0;
      g.jHi = floorDiv(w - 1 - g.x0, sw); if (g.jHi > wo - 1) g.jHi = wo - 1;
      if (g.iLo > g.iHi || g.jLo > g.jHi) continue;
      double *t = tot + (a * kw + b) * ci * cop;
      for (int m = n0; m < n1; m++) {
        const float *xm = x + m * h * w * ci, *dm = dy + m * ho * wo * cop;
        int c = 0;
        for (; c + 4 <= ci; c += 4) {
          int o = 0;
          for (; o + 8 <= cop; o += 8) tile(xm, dm, t, &g, c, o, 4, 2);
          if (o < cop) tile(xm, dm, t, &g, c, o, 4, 1);
        }
        for (; c < ci; c++) {
          int o = 0;
          for (; o + 8 <= cop; o += 8) tile(xm, dm, t, &g, c, o, 1, 2);
          if (o < cop) tile(xm, dm, t, &g, c, o, 1, 1);
        }
      }
    }
  }
}

/* out[k] = float32 of the sum of parts totals tots[p * size + k]. */
void finish(const double *tots, int parts, int size, float *out) {
  for (int k = 0; k < size; k++) {
    double v = tots[k];
    for (int p = 1; p < parts; p++) v += tots[p * size + k];
    out[k] = (float)v;
  }
}

/* The column sums of a [rows, cols] matrix (a bias gradient: dy summed over its leading axes):
 * tot[c] += x[r * cols + c] for r = 0 .. rows - 1 in that order, in double (the sums of a plain
 * loop of doubles, bit for bit), 8 or 4 columns at a time in f64x2 registers. tot is 8-byte
 * aligned and holds the caller's starting values (zeros). */
void colsum(const float *x, double *tot, int rows, int cols) {
  int c = 0;
  for (; c + 8 <= cols; c += 8) {
    v128_t a0 = LD(tot + c), a1 = LD(tot + c + 2), a2 = LD(tot + c + 4), a3 = LD(tot + c + 6);
    const float *p = x + c;
    for (int r = 0; r < rows; r++, p += cols) {
      v128_t v = LD(p), u = LD(p + 4);
      a0 = wasm_f64x2_add(a0, wasm_f64x2_promote_low_f32x4(v));
      a1 = wasm_f64x2_add(a1, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
      a2 = wasm_f64x2_add(a2, wasm_f64x2_promote_low_f32x4(u));
      a3 = wasm_f64x2_add(a3, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(u, u, 2, 3, 2, 3)));
    }
    wasm_v128_store(tot + c, a0);
    wasm_v128_store(tot + c + 2, a1);
    wasm_v128_store(tot + c + 4, a2);
    wasm_v128_store(tot + c + 6, a3);
  }
  for (; c + 4 <= cols; c += 4) {
    v128_t a0 = LD(tot + c), a1 = LD(tot + c + 2);
    const float *p = x + c;
    for (int r = 0; r < rows; r++, p += cols) {
      v128_t v = LD(p);
      a0 = wasm_f64x2_add(a0, wasm_f64x2_promote_low_f32x4(v));
      a1 = wasm_f64x2_add(a1, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
    }
    wasm_v128_store(tot + c, a0);
    wasm_v128_store(tot + c + 2, a1);
  }
  for (; c < cols; c++) {
    double s = tot[c];
    for (int r = 0; r < rows; r++) s += x[r * cols + c];
    tot[c] = s;
  }
}

/* The input gradient of a convolution (NHWC, no dilation), for images n0 .. n1 - 1:
 *
 *   dx[n, y, x, c] = sum over taps (a, b) with i = (y + top - a) / sh and j = (x + left - b) / sw
 *                    whole and in range, over o, of dy[n, i, j, o] * wt[a, b, o, c]
 *
 * wt is the filter with its channels swapped ([kh, kw, co, ci], by the caller); ci is a multiple
 * of 4. Every dx value is written (zero where no tap reaches). Per output row and column phase
 * (x mod sw), columns whose taps all lie inside dy go in tiles of 4 (x, x + sw, x + 2 sw, x + 3 sw:
 * the same taps, neighbouring dy columns) x 8 channels in f32x4 registers; the rest one column at
 * a time. Each sum runs over the taps in order (a, then b), then o. */
struct dxg {
  int h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left;
};

/* One tile: XT (1 or 4) columns starting at column x (phase step sw) of row y, channels c0 ..
 * c0 + 4 CV - 1 (CV in {1, 2}); `check` tests each tap's column (the border columns). */
static inline __attribute__((always_inline)) void dxTile(const float *dym, const float *wt, float *dxm, const struct dxg *g,
                                                        int y, int x, int c0, const int XT, const int CV, int check) {
  v128_t acc[4][2];
  for (int t = 0; t < XT; t++)
    for (int v = 0; v < CV; v++) acc[t][v] = wasm_f32x4_splat(0.0f);
  for (int a = 0; a < g->kh; a++) {
    int ry = y + g->top - a;
    if (ry < 0 || ry % g->sh != 0) continue;
    int i = ry / g->sh;
    if (i >= g->ho) continue;
    for (int b = 0; b < g->kw; b++) {
      int rx = x + g->left - b;
      if (rx < 0 || rx % g->sw != 0) continue;
      int j = rx / g->sw;
      if (check && j + XT - 1 >= g->wo) continue;
      const float *pd = dym + (i * g->wo + j) * g->co;
      const float *pw = wt + (a * g->kw + b) * g->co * g->ci + c0;
      for (int o = 0; o < g->co; o++, pd++, pw += g->ci) {
        v128_t w0 = LD(pw), w1 = CV > 1 ? LD(pw + 4) : w0;
        for (int t = 0; t < XT; t++) {
          v128_t s = SPLAT(pd + t * g->co);
          acc[t][0] = ADD(acc[t][0], MUL(s, w0));
          if (CV > 1) acc[t][1] = ADD(acc[t][1], MUL(s, w1));
        }
      }
    }
  }
  for (int t = 0; t < XT; t++) {
    float *px = dxm + (y * g->w + x + t * g->sw) * g->ci + c0;
    wasm_v128_store(px, acc[t][0]);
    if (CV > 1) wasm_v128_store(px + 4, acc[t][1]);
  }
}

static inline __attribute__((always_inline)) void dxColumns(const float *dym, const float *wt, float *dxm, const struct dxg *g,
                                                           int y, int x, const int XT, int check) {
  int c = 0;
  for (; c + 8 <= g->ci; c += 8) dxTile(dym, wt, dxm, g, y, x, c, XT, 2, check);
  if (c < g->ci) dxTile(dym, wt, dxm, g, y, x, c, XT, 1, check);
}

void dx(const float *dy, const float *wt, float *out, int n0, int n1, int h, int w, int ci, int ho, int wo, int co,
        int kh, int kw, int sh, int sw, int top, int left) {
  struct dxg g = {h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left};
  for (int m = n0; m < n1; m++) {
    const float *dym = dy + m * ho * wo * co;
    float *dxm = out + m * h * w * ci;
    for (int y = 0; y < h; y++) {
      for (int px = 0; px < sw && px < w; px++) {
        /* columns x = px + t sw, t = 0 .. count - 1; inner: every tap's column j inside [0, wo) */
        int count = (w - px + sw - 1) / sw;
        int tLo = 0, tHi = count - 1;
        for (int b = 0; b < kw; b++) {
          int r = px + left - b;
          if (((r % sw) + sw) % sw != 0) continue;
          int jb = floorDiv(r, sw); /* j of t = 0 */
          if (-jb > tLo) tLo = -jb;
          if (wo - 1 - jb < tHi) tHi = wo - 1 - jb;
        }
        int t = 0;
        for (; t < count && t < tLo; t++) dxColumns(dym, wt, dxm, &g, y, px + t * sw, 1, 1);
        for (; t + 4 <= tHi + 1; t += 4) dxColumns(dym, wt, dxm, &g, y, px + t * sw, 4, 0);
        for (; t < count; t++) dxColumns(dym, wt, dxm, &g, y, px + t * sw, 1, 1);
      }
    }
  }
}
