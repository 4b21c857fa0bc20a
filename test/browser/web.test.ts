/**
 * The web page end to end in Chromium: `web/` built by Vite (as `npm run build:web`), served on
 * 127.0.0.1; the synthetic image demo run with tiny settings on WebGPU until the table holds a
 * row per level and the plot is drawn; its results downloaded and read by `helmholtz-ml report`
 * (the CLI from source, through tsx); each bad folder refused with its message; a small labeled
 * folder uploaded and run. Skipped, with one line, where there is no Chromium.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, missingBrowser, type LaunchedChromium } from './chromium.js';
import { serveStatic, type StaticServer } from './server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const missing = missingBrowser();
if (missing !== null) console.log(`web page test skipped: no Chromium at ${missing}`);

/** A w × h PNG of one color with a little seeded texture. */
function png(w: number, h: number, rgb: [number, number, number], seed: number): Buffer {
  const image = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) {
    const n = ((i * 7919 + seed * 104729) % 31) - 15;
    for (let c = 0; c < 3; c++) image.data[i * 4 + c] = Math.max(0, Math.min(255, rgb[c] + n));
    image.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(image);
}

/** Writes `files` (relative path to bytes) under a new folder `name` in `parent`; returns it. */
function folder(parent: string, name: string, files: Record<string, Buffer | string>): string {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), body);
  }
  return dir;
}

async function setTiny(page: Page, levels: string, backend: string): Promise<void> {
  await page.fill('#levels', levels);
  await page.selectOption('#width', '0.125');
  await page.fill('#epochs', '1');
  await page.fill('#repeats', '1');
  await page.selectOption('#backend', backend);
}

async function runToEnd(page: Page, rows: number): Promise<void> {
  await page.click('[data-testid=run]');
  await page.waitForFunction(() => /^(Done|Failed)/.test(document.getElementById('progress-text')?.textContent ?? ''), null, { timeout: 400_000, polling: 500 });
  const text = await page.textContent('#progress-text');
  expect(text, (await page.textContent('#message')) ?? '').toMatch(/^Done/);
  expect(await page.locator('[data-testid=results-table] tbody tr').count()).toBe(rows);
  await page.waitForSelector('[data-testid=plot] svg', { timeout: 60_000 });
}

describe.skipIf(missing !== null)('the web page in Chromium', () => {
  let dir: string;
  let server: StaticServer;
  let browser: LaunchedChromium;
  let page: Page;
  const timings: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'helmholtz-web-'));
    const t0 = performance.now();
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'error', build: { outDir: join(dir, 'site'), emptyOutDir: true } });
    timings.push(`vite build ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    server = await serveStatic({ '/': join(dir, 'site') });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (err) => console.log(`page error: ${err.message}`));
    await page.goto(`${server.origin}/index.html`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    console.log(`web page timings: ${timings.join(', ')}`);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the synthetic image demo on WebGPU, and its download reads with `helmholtz-ml report`', async () => {
    await page.selectOption('[data-testid=data-source]', 'synthetic-images');
    await page.fill('#image-count', '24');
    await page.fill('#image-size', '16');
    await page.fill('#image-classes', '3');
    await setTiny(page, '10, 50, 90', 'webgpu');
    const t0 = performance.now();
    await runToEnd(page, 3);
    timings.push(`synthetic demo ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    expect(await page.textContent('[data-testid=backend]')).toMatch(/^Running on webgpu/);
    expect(await page.textContent('[data-testid=knee]')).toMatch(/knee/i);
    expect(await page.locator('#strip canvas').count()).toBe(3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download]')]);
    const file = join(dir, 'results.json');
    await download.saveAs(file);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'report', file], { cwd: ROOT });
    expect(stdout).toMatch(/^\s*90\s/m);
    expect(stdout).toMatch(/^\s*10\s/m);
    const shot = join(tmpdir(), 'helmholtz-web-page.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`web page screenshot: ${shot}`);
  }, 600_000);

  it('refuses each bad folder with a message, then trains a small labeled folder on wasm', async () => {
    await page.selectOption('[data-testid=data-source]', 'folder');
    const red = (i: number) => png(8, 8, [200, 40, 40], i);
    const blue = (i: number) => png(8, 8, [40, 40, 200], i);
    const cases: [string, Record<string, Buffer | string>, RegExp, string?][] = [
      ['empty', { '.keep': '' }, /empty/],
      ['one-class', { 'cats/a.png': red(1), 'cats/b.png': red(2) }, /Only one class/],
      ['mixed', { 'cats/a.png': red(1), 'cats/b.png': red(2), 'dogs/a.wav': 'RIFF', 'dogs/b.wav': 'RIFF' }, /Mixed files/],
      ['unsupported', { 'cats/a.png': red(1), 'dogs/notes.txt': 'x' }, /Unsupported file/],
      ['unreadable', { 'cats/a.png': red(1), 'cats/b.png': red(2), 'dogs/a.png': Buffer.from('not a png'), 'dogs/b.png': blue(2) }, /could not be read as an image/],
      ['sizes', { 'cats/a.png': red(1), 'cats/b.png': png(10, 9, [200, 40, 40], 2), 'dogs/a.png': blue(1), 'dogs/b.png': blue(2) }, /differ in size/, '0'],
    ];
    for (const [name, files, expected, resize] of cases) {
      await page.selectOption('#resize', resize ?? '16');
      await page.evaluate(() => void (document.getElementById('message')!.textContent = ''));
      await page.setInputFiles('[data-testid=folder]', folder(dir, name, files));
      await page.waitForFunction(() => /^(?!Reading|decoded)\S/.test(document.getElementById('message')?.textContent ?? ''), null, { timeout: 30_000 });
      expect(await page.textContent('#message'), name).toMatch(expected);
    }
    const good: Record<string, Buffer> = {};
    for (let i = 0; i < 8; i++) {
      good[`red/${i}.png`] = red(i);
      good[`blue/${i}.png`] = blue(i);
    }
    await page.selectOption('#resize', '16');
    await page.setInputFiles('[data-testid=folder]', folder(dir, 'good', good));
    await page.waitForFunction(() => (document.getElementById('folder-summary')?.textContent ?? '').includes('16 images'), null, { timeout: 30_000 });
    // On wasm (its .wasm files from the Vite build): SwiftShader's WebGPU takes ~100 s here.
    await setTiny(page, '20, 60, 95', 'wasm');
    const t0 = performance.now();
    await runToEnd(page, 3);
    timings.push(`folder run ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    expect(await page.textContent('[data-testid=backend]')).toMatch(/^Running on wasm/);
    await page.screenshot({ path: join(tmpdir(), 'helmholtz-web-folder.png'), fullPage: true });
  }, 600_000);
});
