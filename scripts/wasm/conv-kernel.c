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
 * Also here: `dx`, the input gradient of strided convolutions; `colsum`, bias-gradient column
 * sums; `wino`, 3x3 stride-1 convolutions by Winograd F(2x2, 3x3), and `winodw` / `winoDwFinish`,
 * their filter gradients by F(3x3, 2x2); `convc` / `dxc`, convolutions with 1 to 3 input
 * channels and their input gradients (each described where it is defined).
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

/* A 3x3 stride-1 convolution with padding 1 on each side (the output the input's size), NHWC, by
 * Winograd's minimal filtering F(2x2, 3x3) (Lavin & Gray 2016): each 2x2 block of outputs comes
 * from the 4x4 input patch around it as Y = A^T [sum over c of (G g G^T)[c] . (B^T d B)[c]] A,
 * 16 multiplications per block and channel pair instead of the direct method's 36.
 *
 * u is the filter already transformed by the caller: [16][ci][co], u[(4r + s) ci co + c co + o] =
 * (G g[c, o] G^T)[r][s]. For images n0 .. n1 - 1 and one row of blocks at a time (T = ceil(w / 2)
 * blocks): the input transform of every block into v [16][T][ci], 16 products [T, ci] x [ci, co]
 * in tiles of 4 blocks x 8 output channels into m [16][T][co], then the output transform, plus
 * the bias (when hasBias) and ReLU (when relu), into y. v and m live in `scratch` (16 T (ci + co)
 * floats, the caller's, one region per thread). ci and co are multiples of 4. */
static inline __attribute__((always_inline)) v128_t at(const float *xm, int h, int w, int ci, int r, int s, int c) {
  if (r < 0 || r >= h || s < 0 || s >= w) return wasm_f32x4_splat(0.0f);
  return LD(xm + (r * w + s) * ci + c);
}

#define SUB wasm_f32x4_sub
/* B^T d B on one row or column of 4: (d0 - d2, d1 + d2, d2 - d1, d1 - d3). */
#define BT4(d0, d1, d2, d3, e0, e1, e2, e3) do { e0 = SUB(d0, d2); e1 = ADD(d1, d2); e2 = SUB(d2, d1); e3 = SUB(d1, d3); } while (0)

/* The input transform of the T blocks of one row of blocks (input rows y0 .. y0 + 3) into v: block
 * t, channel c, position q at v[q st + t ci + c] (st: the stride between the 16 positions). */
static void winoInput(const float *xm, float *v, int h, int w, int ci, int T, int y0, int st) {
  for (int t = 0; t < T; t++) {
    int x0 = 2 * t - 1;
    for (int c = 0; c < ci; c += 4) {
      v128_t a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, d0, d1, d2, d3;
      /* columns of the patch, each transformed along the rows: column s gives rows' combos */
      v128_t p0, p1, p2, p3;
#define COL(s, q0, q1, q2, q3) \
      p0 = at(xm, h, w, ci, y0, x0 + s, c); p1 = at(xm, h, w, ci, y0 + 1, x0 + s, c); \
      p2 = at(xm, h, w, ci, y0 + 2, x0 + s, c); p3 = at(xm, h, w, ci, y0 + 3, x0 + s, c); \
      BT4(p0, p1, p2, p3, q0, q1, q2, q3);
      COL(0, a0, a1, a2, a3)
      COL(1, b0, b1, b2, b3)
      COL(2, c0, c1, c2, c3)
      COL(3, d0, d1, d2, d3)
#undef COL
      /* row r of (B^T d) is (a_r, b_r, c_r, d_r); transform it along the columns */
      float *pv = v + t * ci + c;
      v128_t e0, e1, e2, e3;
#define ROW(r, q0, q1, q2, q3) \
      BT4(q0, q1, q2, q3, e0, e1, e2, e3); \
      wasm_v128_store(pv + (4 * r + 0) * st, e0); wasm_v128_store(pv + (4 * r + 1) * st, e1); \
      wasm_v128_store(pv + (4 * r + 2) * st, e2); wasm_v128_store(pv + (4 * r + 3) * st, e3);
      ROW(0, a0, b0, c0, d0)
      ROW(1, a1, b1, c1, d1)
      ROW(2, a2, b2, c2, d2)
      ROW(3, a3, b3, c3, d3)
#undef ROW
    }
  }
}

/* m[t .. t + XT - 1][o .. o + 4 CV - 1] = v[t ..][:] x u[:][o ..] for one of the 16 positions. */
static inline __attribute__((always_inline)) void winoTile(const float *v, const float *u, float *m, int ci, int co, int t, int o,
                                                          const int XT, const int CV) {
  v128_t acc[4][2];
  for (int k = 0; k < XT; k++)
    for (int q = 0; q < CV; q++) acc[k][q] = wasm_f32x4_splat(0.0f);
  const float *pu = u + o;
  const float *pv = v + t * ci;
  int c = 0;
  do { /* ci >= 4: a do loop, else the compiler adds a zero-fill path (a memset call) for ci = 0 */
    v128_t w0 = LD(pu), w1 = CV > 1 ? LD(pu + 4) : w0;
    for (int k = 0; k < XT; k++) {
      v128_t s = SPLAT(pv + k * ci);
      acc[k][0] = ADD(acc[k][0], MUL(s, w0));
      if (CV > 1) acc[k][1] = ADD(acc[k][1], MUL(s, w1));
    }
    c++, pu += co, pv++;
  } while (c < ci);
  for (int k = 0; k < XT; k++) {
    wasm_v128_store(m + (t + k) * co + o, acc[k][0]);
    if (CV > 1) wasm_v128_store(m + (t + k) * co + o + 4, acc[k][1]);
  }
}

static void winoProducts(const float *v, const float *u, float *m, int ci, int co, int T) {
  for (int p = 0; p < 16; p++) {
    const float *vp = v + p * T * ci, *up = u + p * ci * co;
    float *mp = m + p * T * co;
    int t = 0;
    for (; t + 4 <= T; t += 4) {
      int o = 0;
      for (; o + 8 <= co; o += 8) winoTile(vp, up, mp, ci, co, t, o, 4, 2);
      if (o < co) winoTile(vp, up, mp, ci, co, t, o, 4, 1);
    }
    for (; t < T; t++) {
      int o = 0;
      for (; o + 8 <= co; o += 8) winoTile(vp, up, mp, ci, co, t, o, 1, 2);
      if (o < co) winoTile(vp, up, mp, ci, co, t, o, 1, 1);
    }
  }
}

/* A^T on one row or column of 4: (m0 + m1 + m2, m1 - m2 - m3). */
#define AT4(m0, m1, m2, m3, f0, f1) do { f0 = ADD(ADD(m0, m1), m2); f1 = SUB(SUB(m1, m2), m3); } while (0)

static void winoOutput(const float *m, const float *bias, float *ym, int h, int w, int co, int T, int y0, int hasBias, int relu) {
  const int st = T * co;
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int t = 0; t < T; t++) {
    int x0 = 2 * t;
    for (int o = 0; o < co; o += 4) {
      const float *pm = m + t * co + o;
      v128_t r0a, r0b, r1a, r1b, r2a, r2b, r3a, r3b;
      /* each row r of m: A^T along its columns */
#define ROW(r, fa, fb) AT4(LD(pm + (4 * r) * st), LD(pm + (4 * r + 1) * st), LD(pm + (4 * r + 2) * st), LD(pm + (4 * r + 3) * st), fa, fb);
      ROW(0, r0a, r0b)
      ROW(1, r1a, r1b)
      ROW(2, r2a, r2b)
      ROW(3, r3a, r3b)
#undef ROW
      v128_t y00, y10, y01, y11;
      AT4(r0a, r1a, r2a, r3a, y00, y10);
      AT4(r0b, r1b, r2b, r3b, y01, y11);
      if (hasBias) {
        v128_t b = LD(bias + o);
        y00 = ADD(y00, b); y01 = ADD(y01, b); y10 = ADD(y10, b); y11 = ADD(y11, b);
      }
      if (relu) {
        y00 = wasm_f32x4_max(y00, zero); y01 = wasm_f32x4_max(y01, zero);
        y10 = wasm_f32x4_max(y10, zero); y11 = wasm_f32x4_max(y11, zero);
      }
      float *py = ym + (y0 * w + x0) * co + o;
      wasm_v128_store(py, y00);
      if (x0 + 1 < w) wasm_v128_store(py + co, y01);
      if (y0 + 1 < h) {
        wasm_v128_store(py + w * co, y10);
        if (x0 + 1 < w) wasm_v128_store(py + w * co + co, y11);
      }
    }
  }
}

void wino(const float *x, const float *u, const float *bias, float *y, float *scratch, int n0, int n1, int h, int w, int ci, int co,
          int hasBias, int relu) {
  const int T = (w + 1) / 2;
  float *v = scratch, *m = scratch + 16 * T * ci;
  for (int n = n0; n < n1; n++) {
    const float *xm = x + n * h * w * ci;
    float *ym = y + n * h * w * co;
    for (int y0 = 0; y0 < h; y0 += 2) {
      winoInput(xm, v, h, w, ci, T, y0 - 1, T * ci);
      winoProducts(v, u, m, ci, co, T);
      winoOutput(m, bias, ym, h, w, co, T, y0, hasBias, relu);
    }
  }
}

/* The filter gradient of the same convolution (3x3, stride 1, padding 1, the output the input's
 * size) by Winograd's F(3x3, 2x2), the transpose of the forward F(2x2, 3x3): each 2x2 block of dy
 * and the 4x4 input patch around it add
 *
 *   dW[a, b, c, o] += (G'^T [(B^T x B)[c] . (A' dy A'^T)[o]] G')[a][b]
 *
 * with A' = [[1, 0], [1, 1], [1, -1], [0, 1]] (A with its last row's sign taken into G'^T =
 * [[1, 1/2, 1/2, 0], [0, 1/2, -1/2, 0], [0, 1/2, 1/2, -1]]), so the 16 products per block and
 * channel pair are summed over the blocks first and transformed once at the end (`winoDwFinish`).
 *
 * For images n0 .. n1 - 1, one image at a time: the input transform of all B = ceil(h / 2)
 * ceil(w / 2) blocks into v [16][B][ci] (winoInput), dy's into d [16][B][co], then per position
 * the sum over blocks of v^T d in tiles of 4 x 8 channels in f32x4 registers, added to tot
 * [16][ci][co] in double. v and d live in `scratch` (16 B (ci + co) floats, one region per
 * thread); tot is zeroed by the caller. ci and co are multiples of 4. */
static void winoDyInput(const float *dym, float *d, int h, int w, int co, int T, int y0, int st) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int t = 0; t < T; t++) {
    int x0 = 2 * t;
    const int right = x0 + 1 < w, below = y0 + 1 < h;
    for (int o = 0; o < co; o += 4) {
      const float *p = dym + (y0 * w + x0) * co + o;
      v128_t a = LD(p), b = right ? LD(p + co) : zero;
      v128_t c = below ? LD(p + w * co) : zero, e = below && right ? LD(p + w * co + co) : zero;
      /* A' along each row of the block: (d0, d0 + d1, d0 - d1, d1) */
      v128_t r0 = ADD(a, b), r1 = SUB(a, b), s0 = ADD(c, e), s1 = SUB(c, e);
      /* then along the columns, for the columns (a | c), (r0 | s0), (r1 | s1), (b | e) */
      float *pd = d + t * co + o;
#define COLUMN(s, top, bot) \
      wasm_v128_store(pd + (s) * st, top); wasm_v128_store(pd + (4 + (s)) * st, ADD(top, bot)); \
      wasm_v128_store(pd + (8 + (s)) * st, SUB(top, bot)); wasm_v128_store(pd + (12 + (s)) * st, bot);
      COLUMN(0, a, c)
      COLUMN(1, r0, s0)
      COLUMN(2, r1, s1)
      COLUMN(3, b, e)
#undef COLUMN
    }
  }
}

/* tot[c0 + k][o0 + 4 q] += sum over the B blocks of v[blk][c0 + k] d[blk][o0 + 4 q], k < 4, q < CO. */
static inline __attribute__((always_inline)) void winoDwTile(const float *v, const float *d, double *tot, int B, int ci, int co,
                                                            int c0, int o0, const int CO) {
  v128_t acc[4][2];
  for (int k = 0; k < 4; k++)
    for (int q = 0; q < CO; q++) acc[k][q] = wasm_f32x4_splat(0.0f);
  const float *pv = v + c0, *pd = d + o0;
  int blk = 0;
  do { /* B >= 1 */
    v128_t d0 = LD(pd), d1 = CO > 1 ? LD(pd + 4) : d0;
    for (int k = 0; k < 4; k++) {
      v128_t s = SPLAT(pv + k);
      acc[k][0] = ADD(acc[k][0], MUL(s, d0));
      if (CO > 1) acc[k][1] = ADD(acc[k][1], MUL(s, d1));
    }
    blk++, pv += ci, pd += co;
  } while (blk < B);
  for (int k = 0; k < 4; k++) {
    for (int q = 0; q < CO; q++) {
      double *t = tot + (c0 + k) * co + o0 + 4 * q;
      v128_t lo = wasm_f64x2_promote_low_f32x4(acc[k][q]);
      v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(acc[k][q], acc[k][q], 2, 3, 2, 3));
      wasm_v128_store(t, wasm_f64x2_add(wasm_v128_load(t), lo));
      wasm_v128_store(t + 2, wasm_f64x2_add(wasm_v128_load(t + 2), hi));
    }
  }
}

void winodw(const float *x, const float *dy, double *tot, float *scratch, int n0, int n1, int h, int w, int ci, int co) {
  const int T = (w + 1) / 2, R = (h + 1) / 2, B = T * R;
  float *v = scratch, *d = scratch + 16 * B * ci;
  for (int n = n0; n < n1; n++) {
    const float *xm = x + n * h * w * ci, *dym = dy + n * h * w * co;
    for (int r = 0; r < R; r++) {
      winoInput(xm, v + r * T * ci, h, w, ci, T, 2 * r - 1, B * ci);
      winoDyInput(dym, d + r * T * co, h, w, co, T, 2 * r, B * co);
    }
    for (int p = 0; p < 16; p++) {
      const float *vp = v + p * B * ci, *dp = d + p * B * co;
      double *tp = tot + p * ci * co;
      for (int c = 0; c < ci; c += 4) {
        int o = 0;
        for (; o + 8 <= co; o += 8) winoDwTile(vp, dp, tp, B, ci, co, c, o, 2);
        if (o < co) winoDwTile(vp, dp, tp, B, ci, co, c, o, 1);
      }
    }
  }
}

static inline __attribute__((always_inline)) double sumParts(const double *tots, int parts, int size, int q, int k) {
  double v = tots[q * size + k];
  for (int p = 1; p < parts; p++) v += tots[(p * 16 + q) * size + k];
  return v;
}

/* out [3][3][size] (float32) = G'^T S G' of S = the sum over the parts of tots [parts][16][size]. */
void winoDwFinish(const double *tots, int parts, int size, float *out) {
  for (int k = 0; k < size; k++) {
#define S(q) sumParts(tots, parts, size, q, k)
    /* G'^T along the columns of S: row (a) of G'^T applied to rows r = 0 .. 3, column s */
#define COLUMN(s, u0, u1, u2) { double q0 = S(s), q1 = S(4 + (s)), q2 = S(8 + (s)), q3 = S(12 + (s)); \
      u0 = q0 + 0.5 * (q1 + q2); u1 = 0.5 * (q1 - q2); u2 = 0.5 * (q1 + q2) - q3; }
    double a0, a1, a2, b0, b1, b2, c0, c1, c2, e0, e1, e2;
    COLUMN(0, a0, a1, a2)
    COLUMN(1, b0, b1, b2)
    COLUMN(2, c0, c1, c2)
    COLUMN(3, e0, e1, e2)
#undef COLUMN
#undef S
    /* then G' along the rows: row a is (a_a, b_a, c_a, e_a) */
#define ROW(a, q0, q1, q2, q3) \
    out[(3 * (a)) * size + k] = (float)(q0 + 0.5 * (q1 + q2)); \
    out[(3 * (a) + 1) * size + k] = (float)(0.5 * (q1 - q2)); \
    out[(3 * (a) + 2) * size + k] = (float)(0.5 * (q1 + q2) - q3);
    ROW(0, a0, b0, c0, e0)
    ROW(1, a1, b1, c1, e1)
    ROW(2, a2, b2, c2, e2)
#undef ROW
  }
}

/* Convolutions with few input channels (a model's first layer: 1 to 3), where XNNPACK and the
 * kernels above, which take 4 input channels at a time, leave most lanes idle. Both run over the
 * output channels in f32x4 (co a multiple of 4), NHWC, no dilation, the filter as given
 * ([kh, kw, ci, co]).
 *
 * `convc`, the forward pass, for images n0 .. n1 - 1:
 *
 *   y[n, i, j, o] = bias[o] + sum over a, b, c of x[n, i sh + a - top, j sw + b - left, c] w[a, b, c, o]
 *
 * (then ReLU when relu; taps outside x add nothing): per output row, tiles of 4 columns x 8 (or 4)
 * channels in registers where every tap's column lies inside x, one column at a time at the
 * borders; 3x3 filters on 1 or 3 channels unrolled. */
static inline __attribute__((always_inline)) void convcTile(const float *xm, const float *wt, const float *bias, float *ym,
                                                           const struct dxg *g, int i, int j, int o0, const int XT, const int CV,
                                                           const int CI, const int K, int check, int hasBias, int relu) {
  /* CI: the input channels, K: the filter's height and width, each a constant (0: g's) */
  const int ci = CI ? CI : g->ci, kh = K ? K : g->kh, kw = K ? K : g->kw;
  v128_t acc[4][2];
  v128_t b0 = hasBias ? LD(bias + o0) : wasm_f32x4_splat(0.0f), b1 = CV > 1 && hasBias ? LD(bias + o0 + 4) : b0;
  for (int t = 0; t < XT; t++) {
    acc[t][0] = b0;
    if (CV > 1) acc[t][1] = b1;
  }
  /* do loops (kh, kw, ci >= 1), else the compiler adds a zero-fill path (a memset call) for 0 */
  int a = 0;
  do {
    int r = i * g->sh + a - g->top;
    if (r >= 0 && r < g->h) {
      int b = 0;
      do {
        int col = j * g->sw + b - g->left;
        if (!check || (col >= 0 && col < g->w)) {
          const float *px = xm + (r * g->w + col) * ci;
          const float *pw = wt + (a * kw + b) * ci * g->co + o0;
          int c = 0;
          do {
            v128_t w0 = LD(pw + c * g->co), w1 = CV > 1 ? LD(pw + c * g->co + 4) : w0;
            for (int t = 0; t < XT; t++) {
              v128_t s = SPLAT(px + t * g->sw * ci + c);
              acc[t][0] = ADD(acc[t][0], MUL(s, w0));
              if (CV > 1) acc[t][1] = ADD(acc[t][1], MUL(s, w1));
            }
          } while (++c < ci);
        }
      } while (++b < kw);
    }
  } while (++a < kh);
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int t = 0; t < XT; t++) {
    float *py = ym + (i * g->wo + j + t) * g->co + o0;
    wasm_v128_store(py, relu ? wasm_f32x4_max(acc[t][0], zero) : acc[t][0]);
    if (CV > 1) wasm_v128_store(py + 4, relu ? wasm_f32x4_max(acc[t][1], zero) : acc[t][1]);
  }
}

/* One output row of one image with the channel count CI and filter size K constant (0: any). */
static inline __attribute__((always_inline)) void convcRow(const float *xm, const float *wt, const float *bias, float *ym,
                                                          const struct dxg *g, int i, int jLo, int jHi, const int CI, const int K,
                                                          int hasBias, int relu) {
  int j = 0;
#define COLUMNS(XT, check) { int o = 0; \
    for (; o + 8 <= g->co; o += 8) convcTile(xm, wt, bias, ym, g, i, j, o, XT, 2, CI, K, check, hasBias, relu); \
    if (o < g->co) convcTile(xm, wt, bias, ym, g, i, j, o, XT, 1, CI, K, check, hasBias, relu); }
  for (; j < jLo; j++) COLUMNS(1, 1)
  for (; j + 4 <= jHi + 1; j += 4) COLUMNS(4, 0)
  for (; j < g->wo; j++) COLUMNS(1, 1)
#undef COLUMNS
}

void convc(const float *x, const float *wt, const float *bias, float *y, int n0, int n1, int h, int w, int ci, int ho, int wo,
           int co, int kh, int kw, int sh, int sw, int top, int left, int hasBias, int relu) {
  struct dxg g = {h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left};
  /* columns whose taps all lie inside x: j sw - left >= 0 and j sw + kw - 1 - left <= w - 1 */
  int jLo = ceilDiv(left, sw), jHi = floorDiv(w - kw + left, sw);
  if (jLo > wo) jLo = wo;
  if (jHi > wo - 1) jHi = wo - 1;
  const int k3 = kh == 3 && kw == 3;
  for (int n = n0; n < n1; n++) {
    const float *xm = x + n * h * w * ci;
    float *ym = y + n * ho * wo * co;
    for (int i = 0; i < ho; i++) {
      if (k3 && ci == 1) convcRow(xm, wt, bias, ym, &g, i, jLo, jHi, 1, 3, hasBias, relu);
      else if (k3 && ci == 3) convcRow(xm, wt, bias, ym, &g, i, jLo, jHi, 3, 3, hasBias, relu);
      else convcRow(xm, wt, bias, ym, &g, i, jLo, jHi, 0, 0, hasBias, relu);
    }
  }
}

/* `dxc`, the input gradient of such a convolution (any stride), for images n0 .. n1 - 1:
 *
 *   dx[n, y, x, c] = sum over taps (a, b) with i = (y + top - a) / sh, j = (x + left - b) / sw whole
 *                    and inside dy, over o, of dy[n, i, j, o] w[a, b, c, o]
 *
 * one pixel at a time, its ci (1 to 3) sums in f32x4 registers over the output channels, then
 * each summed across its lanes; stride 1 (3x3 unrolled) without the divisions and tap tests of
 * the general path inside dy's edges. */
static inline __attribute__((always_inline)) void dxcSum(float *px, v128_t acc[4], const int CI) {
  for (int c = 0; c < CI; c++) {
    v128_t s = ADD(acc[c], wasm_i32x4_shuffle(acc[c], acc[c], 2, 3, 0, 1));
    s = ADD(s, wasm_i32x4_shuffle(s, s, 1, 0, 3, 2));
    px[c] = wasm_f32x4_extract_lane(s, 0);
  }
}

/* One pixel, any stride: the taps a = a0, a0 + sh, ... (those with y + top - a a multiple of sh),
 * likewise b from b0. */
static inline __attribute__((always_inline)) void dxcPixel(const float *dym, const float *wt, float *dxm, const struct dxg *g,
                                                          int y, int x, int a0, int b0, const int CI) {
  v128_t acc[4];
  for (int c = 0; c < CI; c++) acc[c] = wasm_f32x4_splat(0.0f);
  for (int a = a0; a < g->kh && a <= y + g->top; a += g->sh) {
    int i = (y + g->top - a) / g->sh;
    if (i >= g->ho) continue;
    for (int b = b0; b < g->kw && b <= x + g->left; b += g->sw) {
      int j = (x + g->left - b) / g->sw;
      if (j >= g->wo) continue;
      const float *pd = dym + (i * g->wo + j) * g->co;
      const float *pw = wt + (a * g->kw + b) * CI * g->co;
      for (int o = 0; o < g->co; o += 4) {
        v128_t d = LD(pd + o);
        for (int c = 0; c < CI; c++) acc[c] = ADD(acc[c], MUL(d, LD(pw + c * g->co + o)));
      }
    }
  }
  dxcSum(dxm + (y * g->w + x) * CI, acc, CI);
}

/* One pixel of a stride-1 gradient with a K x K filter (K constant, 0: g's); `check` tests each
 * tap against dy's edges (the border pixels). */
static inline __attribute__((always_inline)) void dxcPixel1(const float *dym, const float *wt, float *dxm, const struct dxg *g,
                                                           int y, int x, const int CI, const int K, int check) {
  const int kh = K ? K : g->kh, kw = K ? K : g->kw;
  v128_t acc[4];
  for (int c = 0; c < CI; c++) acc[c] = wasm_f32x4_splat(0.0f);
  for (int a = 0; a < kh; a++) {
    int i = y + g->top - a;
    if (check && (i < 0 || i >= g->ho)) continue;
    for (int b = 0; b < kw; b++) {
      int j = x + g->left - b;
      if (check && (j < 0 || j >= g->wo)) continue;
      const float *pd = dym + (i * g->wo + j) * g->co;
      const float *pw = wt + (a * kw + b) * CI * g->co;
      for (int o = 0; o < g->co; o += 4) {
        v128_t d = LD(pd + o);
        for (int c = 0; c < CI; c++) acc[c] = ADD(acc[c], MUL(d, LD(pw + c * g->co + o)));
      }
    }
  }
  dxcSum(dxm + (y * g->w + x) * CI, acc, CI);
}

static inline __attribute__((always_inline)) void dxcRow(const float *dym, const float *wt, float *dxm, const struct dxg *g, int y,
                                                        const int CI) {
  if (g->sh == 1 && g->sw == 1) {
    /* pixels whose taps all lie inside dy: kw - 1 - left <= x <= wo - 1 - left, likewise y */
    const int rowInside = y >= g->kh - 1 - g->top && y <= g->ho - 1 - g->top;
    int xLo = g->kw - 1 - g->left, xHi = g->wo - 1 - g->left;
    if (!rowInside) xLo = g->w;
    if (xLo < 0) xLo = 0;
    int x = 0;
    for (; x < xLo && x < g->w; x++) dxcPixel1(dym, wt, dxm, g, y, x, CI, 0, 1);
    if (g->kh == 3 && g->kw == 3)
      for (; x <= xHi && x < g->w; x++) dxcPixel1(dym, wt, dxm, g, y, x, CI, 3, 0);
    else
      for (; x <= xHi && x < g->w; x++) dxcPixel1(dym, wt, dxm, g, y, x, CI, 0, 0);
    for (; x < g->w; x++) dxcPixel1(dym, wt, dxm, g, y, x, CI, 0, 1);
    return;
  }
  const int a0 = (y + g->top) % g->sh;
  for (int x = 0, b0 = g->left % g->sw; x < g->w; x++, b0 = b0 + 1 == g->sw ? 0 : b0 + 1)
    dxcPixel(dym, wt, dxm, g, y, x, a0, b0, CI);
}

void dxc(const float *dy, const float *wt, float *out, int n0, int n1, int h, int w, int ci, int ho, int wo, int co,
         int kh, int kw, int sh, int sw, int top, int left) {
  struct dxg g = {h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left};
  for (int n = n0; n < n1; n++) {
    const float *dym = dy + n * ho * wo * co;
    float *dxm = out + n * h * w * ci;
    for (int y = 0; y < h; y++) {
      if (ci == 1) dxcRow(dym, wt, dxm, &g, y, 1);
      else if (ci == 2) dxcRow(dym, wt, dxm, &g, y, 2);
      else dxcRow(dym, wt, dxm, &g, y, 3);
    }
  }
}
