/**
 * The browser suite: the package's build bundled for the browser, served on 127.0.0.1 and run
 * in Debian's Chromium on webgpu, webgl, wasm and cpu, against Node's cpu results of the same
 * seeded cases (test/browser/cases.ts). Skipped, with one line saying what is missing, where
 * there is no Chromium. `HELMHOLTZ_BROWSER_BACKENDS=webgl,cpu` runs a subset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Page } from 'playwright-core';
import { estimateNoise, registerCpuTrainingKernels } from 'helmholtz-ml';
import { buildPages, type BuiltPages } from './build.js';
import {
  audioSweepOptions,
  codecOutputs,
  GRADIENT_CASES,
  gradientDifference,
  gradientStep,
  imageSweepOptions,
  maxPoolTieRule,
  summarizeSweep,
  type CodecOutputs,
  type Family,
  type GradientStep,
  type SweepSummary,
} from './cases.js';
import { launchChromium, missingBrowser, type LaunchedChromium } from './chromium.js';
import { serveStatic, type StaticServer } from './server.js';

const ALL_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
const BACKENDS = (process.env.HELMHOLTZ_BROWSER_BACKENDS?.split(',') ?? [...ALL_BACKENDS]) as (typeof ALL_BACKENDS)[number][];
const missing = missingBrowser();
if (missing !== null) console.log(`browser suite skipped: no Chromium at ${missing}`);

/** Gradients of one training step agree with cpu within this relative difference. */
const GRADIENT_TOLERANCE = 1e-3;
/** Per-level accuracy of a tiny sweep agrees with Node's cpu run within this (measured, see docs/browser.md). */
const SWEEP_TOLERANCE = 0.13;

function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function floats(text: string): Float32Array {
  const bytes = fromBase64(text);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** Calls `window.helmholtzTest[name](...args)` in the page. */
function call<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`window.helmholtzTest[${JSON.stringify(name)}](...${JSON.stringify(args)})`) as Promise<T>;
}

/** The first byte where two outputs differ, for the failure message. */
function firstDifference(a: Uint8Array, b: Uint8Array): string {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  const i = a.findIndex((v, j) => v !== b[j]);
  return i < 0 ? 'identical' : `byte ${i}: ${a[i]} vs ${b[i]}`;
}

interface PageGradient {
  loss: number;
  names: string[];
  gradients: string[];
  seconds: number;
  leaked: number;
}

interface PageSweep {
  summary: SweepSummary;
  backend: string;
  seconds: number;
  leaked: number;
}

/** Seconds per case, printed at the end (docs/browser.md quotes them). */
const timings: string[] = [];

describe.skipIf(missing !== null)('the core in Chromium', () => {
  let built: BuiltPages;
  let server: StaticServer;
  let chromium: LaunchedChromium;
  let nodeCodecs: CodecOutputs;
  const nodeGradients = new Map<string, GradientStep>();
  const nodeSweeps = new Map<Family, SweepSummary>();

  beforeAll(async () => {
    const t0 = performance.now();
    built = await buildPages();
    server = await serveStatic({ '/': built.dir, '/wasm/': built.wasmDir });
    chromium = await launchChromium();
    timings.push(`build: tsup ${built.seconds.package.toFixed(1)} s, esbuild ${built.seconds.bundle.toFixed(1)} s`);
    await tf.setBackend('cpu');
    registerCpuTrainingKernels();
    const t1 = performance.now();
    nodeCodecs = await codecOutputs();
    for (const { family, arch } of GRADIENT_CASES) nodeGradients.set(`${family} ${arch}`, await gradientStep(family, arch));
    nodeSweeps.set('image', summarizeSweep(await estimateNoise(imageSweepOptions())));
    nodeSweeps.set('audio', summarizeSweep(await estimateNoise(audioSweepOptions())));
    timings.push(`node references: ${((performance.now() - t1) / 1000).toFixed(1)} s (setup total ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }, 300_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    built?.remove();
    if (timings.length > 0) console.log(`browser suite timings:\n  ${timings.join('\n  ')}`);
  });

  describe.each(BACKENDS)('on %s', (backend) => {
    let page: Page;
    const errors: string[] = [];
    const warnings: string[] = [];

    beforeAll(async () => {
      page = await chromium.context.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'warning' && message.text().startsWith('helmholtz-ml:')) warnings.push(message.text());
      });
      await page.goto(`${server.origin}/index.html`);
      await page.waitForFunction(() => document.title === 'ready');
      const info = await call<{ backend: string; device: string; software: boolean; renderer: string; float32: boolean | null }>(page, 'start', backend);
      expect(info.backend, `tf.getBackend() after setBackend('${backend}'): ${JSON.stringify(info)}`).toBe(backend);
      timings.push(`${backend}: ${JSON.stringify(info)}`);
      // SwiftShader here: webgl and webgpu run on the CPU, and backendDevice says so
      expect(info.device).toBe('cpu');
      expect(info.software).toBe(backend === 'webgl' || backend === 'webgpu');
      if (backend === 'webgl') expect(info.float32).toBe(true);
    });

    afterAll(async () => {
      await page?.close();
    });

    it('gives the codecs bit-identical to Node (JavaScript and WebAssembly kernels)', async () => {
      const t0 = performance.now();
      for (const prepared of [false, true]) {
        const got = await call<Record<string, string>>(page, 'codecs', prepared);
        expect(Object.keys(got)).toEqual(Object.keys(nodeCodecs));
        for (const [name, want] of Object.entries(nodeCodecs)) {
          const bytes = fromBase64(got[name]);
          expect(firstDifference(bytes, want), `${name} (prepareJpegKernel ${prepared ? 'awaited' : 'not awaited'})`).toBe('identical');
        }
      }
      timings.push(`${backend} codecs: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      expect(errors).toEqual([]);
    });

    it(`computes one training step of every builder within ${GRADIENT_TOLERANCE} of cpu`, async () => {
      const t0 = performance.now();
      const worst: string[] = [];
      for (const { family, arch } of GRADIENT_CASES) {
        const want = nodeGradients.get(`${family} ${arch}`) as GradientStep;
        const got = await call<PageGradient>(page, 'gradient', family, arch);
        expect(got.leaked, `${family} ${arch}: tensors leaked`).toBe(0);
        const step: GradientStep = { loss: got.loss, names: got.names, gradients: got.gradients.map(floats) };
        const { relative, weight } = gradientDifference(want, step);
        worst.push(`${family} ${arch} ${relative.toExponential(1)}`);
        expect(Math.abs(got.loss - want.loss) / Math.abs(want.loss), `${family} ${arch}: loss ${got.loss} vs cpu ${want.loss}`).toBeLessThan(GRADIENT_TOLERANCE);
        expect(relative, `${family} ${arch}: gradient of ${weight}`).toBeLessThan(GRADIENT_TOLERANCE);
      }
      timings.push(`${backend} gradients: ${((performance.now() - t0) / 1000).toFixed(1)} s (largest relative differences: ${worst.join(', ')})`);
    });

    it('breaks max-pool ties as documented: first input on cpu and wasm (as TensorFlow), last on webgl and webgpu', async () => {
      const got = await call<{ winners: number[]; total: number }>(page, 'maxPoolTieRule');
      const want = backend === 'webgl' || backend === 'webgpu' ? 3 : 0;
      expect(got).toEqual({ winners: [want, want, want, want], total: 4 });
      expect(await maxPoolTieRule()).toEqual({ winners: [0, 0, 0, 0], total: 4 }); // Node's cpu
    });

    for (const family of ['image', 'audio'] as const) {
      it(`runs the tiny ${family} sweep, leaking nothing, as Node's cpu run`, async () => {
        const got = await call<PageSweep>(page, 'sweep', family);
        const want = nodeSweeps.get(family) as SweepSummary;
        timings.push(
          `${backend} ${family} sweep: ${got.seconds.toFixed(1)} s; accuracies ${got.summary.levels.map((l) => l.accuracy.toFixed(3)).join(' ')} ` +
            `(Node cpu ${want.levels.map((l) => l.accuracy.toFixed(3)).join(' ')}), knee ${got.summary.knee} (Node ${want.knee})`,
        );
        expect(got.backend).toBe(backend);
        expect(got.leaked).toBe(0);
        expect(got.summary.levels.map((l) => l.level)).toEqual(want.levels.map((l) => l.level));
        got.summary.levels.forEach((l, i) => {
          expect(Math.abs(l.accuracy - want.levels[i].accuracy), `level ${l.level}: accuracy ${l.accuracy} vs Node cpu ${want.levels[i].accuracy}`).toBeLessThanOrEqual(SWEEP_TOLERANCE);
        });
        expect(errors).toEqual([]);
        // training on a software GPU renderer says so, once
        expect(warnings.length).toBe(backend === 'webgl' || backend === 'webgpu' ? 1 : 0);
        if (warnings.length > 0) expect(warnings[0]).toMatch(/runs on a software renderer \(.*SwiftShader.*\).*wasm backend is faster/is);
      });
    }

    if (backend === 'webgl') {
      it('keeps texture memory bounded over a longer training and restores the texture threshold', async () => {
        const pool = await call<{ plain: number; bounded: number; flagPlain: number; flagInside: number; flagAfter: number }>(page, 'texturePool', 4);
        timings.push(`webgl texture pool: ${JSON.stringify(pool)}`);
        expect(pool.plain).toBeGreaterThan(0); // tfjs's default keeps every released texture
        expect(pool.bounded).toBeLessThanOrEqual(0); // with a threshold they are deleted
        expect([pool.flagPlain, pool.flagInside, pool.flagAfter]).toEqual([-1, 0, -1]);
        const run = await call<{ memory: { inUse: number; allocated: number }[]; flagAfter: number; leaked: number; seconds: number }>(page, 'longTraining', 2, 3, null);
        timings.push(`webgl long training: ${run.seconds.toFixed(1)} s, texture bytes allocated per epoch ${run.memory.map((m) => m.allocated).join(' ')}`);
        expect(run.leaked).toBe(0);
        expect(run.flagAfter).toBe(-1);
        const first = run.memory[0].allocated;
        for (const m of run.memory) expect(m.allocated).toBeLessThanOrEqual(first * 1.05);
      });
    }
  });
});
