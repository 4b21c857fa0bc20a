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
