import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli, type CliIo } from '../../src/cli/run.js';
import { syntheticSensorImages } from '../../src/data/synthetic-images.js';
import { estimateNoise } from '../../src/node/estimate.js';
import { renderNoisePlotSvg } from '../../src/node/plot.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'hh-webp-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a labeled set of 8x8 gray images as the four IDX files of an MNIST-style folder. */
function writeIdx(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const sets = { train: syntheticSensorImages({ count: 36, size: 8, classes: 3, channels: 1, noise: 4, seed: 1 }), t10k: syntheticSensorImages({ count: 18, size: 8, classes: 3, channels: 1, noise: 4, seed: 2 }) };
  for (const [name, set] of Object.entries(sets)) {
    const n = set.images.length;
    const images = Buffer.alloc(16 + n * 64);
    images.writeUInt32BE(0x803, 0);
    images.writeUInt32BE(n, 4);
    images.writeUInt32BE(8, 8);
    images.writeUInt32BE(8, 12);
    set.images.forEach((image, i) => images.set(image.data, 16 + i * 64));
    const labels = Buffer.alloc(8 + n);
    labels.writeUInt32BE(0x801, 0);
    labels.writeUInt32BE(n, 4);
    labels.set(set.labels, 8);
    writeFileSync(path.join(dir, `${name}-images-idx3-ubyte`), images);
    writeFileSync(path.join(dir, `${name}-labels-idx1-ubyte`), labels);
  }
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd: tmp,
    estimateNoise,
    renderPlot: (estimate, options) => renderNoisePlotSvg(estimate, options),
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

describe('helmholtz-ml estimate --codec webp', () => {
  it('sweeps WebP qualities; table, summary, plot and results file name WebP; a resume under JPEG is refused', async () => {
    writeIdx(path.join(tmp, 'idx'));
    const common = ['estimate', '--data', `idx:${path.join(tmp, 'idx')}`, '--levels', '1,50,100', '--width', '0.125', '--epochs', '1', '--batch-size', '12', '--repeats', '1', '--workers', '1', '--seed', '3', '--quiet'];
    const r = await cli([...common, '--codec', 'webp', '--out', 'webp.json', '--plot', 'webp.svg', '--csv', 'webp.csv']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/quality\s+Q\s+accuracy/);
    expect(r.stdout).toMatch(/WebP quality \d+/);
    expect(r.stdout).not.toMatch(/JPEG/);
    const saved = JSON.parse(readFileSync(path.join(tmp, 'webp.json'), 'utf8')) as { settings: { codec: string }; estimate: { codec: string } };
    expect(saved.settings.codec).toBe('webp');
    expect(saved.estimate.codec).toBe('webp');
    const svg = readFileSync(path.join(tmp, 'webp.svg'), 'utf8');
    expect(svg).toContain('WebP');
    expect(svg).not.toContain('JPEG');

    // The report of the file names WebP levels too.
    const report = await cli(['report', 'webp.json']);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/WebP quality \d+/);
    expect(report.stdout).not.toMatch(/JPEG/);

    // Resuming the WebP file as a JPEG sweep is refused, naming the key.
    const other = await cli([...common, '--codec', 'jpeg', '--out', 'webp.json', '--resume']);
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/codec is "?webp"? in the file, "?jpeg"? now/);
  });

  it('refuses an unknown codec, naming --codec and the allowed values', async () => {
    const unknown = await cli(['estimate', '--data', 'idx:x', '--codec', 'avif']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--codec must be one of jpeg, mp3, webp, got "avif"/);
  });
});
