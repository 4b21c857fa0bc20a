import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dataFingerprint, openResultsFile, readResultsFile, sweepSettings, writeFileAtomic } from '../../src/node/results-file.js';
import type { ImageDataset, RunResult } from '../../src/noise/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hh-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const image = (v: number) => ({ width: 2, height: 1, channels: 1 as const, data: new Uint8Array([v, v + 1]) });
const data: ImageDataset = {
  train: { images: [image(1), image(2), image(3)], labels: [0, 1, 0] },
  test: { images: [image(4)], labels: [1] },
};
const level = (q: number, accuracy = 0.5, repeat = 0): RunResult => ({
  level: q,
  repeat,
  seed: repeat,
  accuracy,
  testAccuracy: accuracy,
  paperAccuracy: accuracy,
  lastAccuracy: accuracy,
  bestAccuracy: accuracy,
  selectedEpoch: 1,
  epochsRun: 1,
  epochsToConverge: 1,
  stillImproving: false,
  history: [],
  bits: { unit: 'bits/pixel', paper: 1, tables: 1, measured: 1 },
  testCount: 1,
  seconds: 1,
  compressSeconds: 0.1,
  trainSeconds: 0.9,
});

describe('results file', () => {
  it('persists each level and resumes with matching settings', async () => {
    const file = path.join(dir, 'a.json');
    const settings = sweepSettings({ data, epochs: 3, model: 'A' }, { batchSize: 128, optimizer: 'adam' });
    const rf = await openResultsFile(file, settings);
    expect(rf.cells).toEqual([]);
    await Promise.all([rf.saveCell(level(100, 0.9)), rf.saveCell(level(5, 0.4))]);
    const saved = await readResultsFile(file);
    expect(saved?.cells.map((l) => l.level)).toEqual([100, 5]);
    expect(saved?.settings.epochs).toBe(3);
    // Restart: same settings (defaults spelled out, keys in another order) -> the levels come back.
    const again = await openResultsFile(file, sweepSettings({ model: 'A', epochs: 3, data, batchSize: 128 }, { optimizer: 'adam' }));
    expect(again.cells.map((l) => [l.level, l.accuracy])).toEqual([[100, 0.9], [5, 0.4]]);
    await again.saveCell(level(5, 0.45)); // replaces by level
    expect((await readResultsFile(file))?.cells.filter((l) => l.level === 5).map((l) => l.accuracy)).toEqual([0.45]);
    // No temporary files are left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a file whose settings differ, naming the key and both values', async () => {
    const file = path.join(dir, 'b.json');
    const rf = await openResultsFile(file, sweepSettings({ data, epochs: 3 }));
    await rf.saveCell(level(50));
    await expect(openResultsFile(file, sweepSettings({ data, epochs: 4 }))).rejects.toThrow(/b\.json: made with other settings \(epochs is 3 in the file, 4 now\)/);
    const otherData = { ...data, test: { images: [image(9)], labels: [1] } };
    await expect(openResultsFile(file, sweepSettings({ data: otherData, epochs: 3 }))).rejects.toThrow(/data\.sha256 is "[0-9a-f]+" in the file, "[0-9a-f]+" now/);
    await expect(openResultsFile(file, sweepSettings({ data, epochs: 3, modelOptions: { widthMultiplier: 0.5 } }))).rejects.toThrow(/modelOptions is null in the file, \{"widthMultiplier":0.5\} now/);
    // 'refuse' mode (the CLI without --resume) and 'overwrite'.
    await expect(openResultsFile(file, sweepSettings({ data, epochs: 3 }), { existing: 'refuse' })).rejects.toThrow(/already holds 1 finished cell\(s\) \(levels 50\)/);
    const fresh = await openResultsFile(file, sweepSettings({ data, epochs: 4 }), { existing: 'overwrite' });
    expect(fresh.cells).toEqual([]);
    expect((await readResultsFile(file))?.settings.epochs).toBe(4);
  });

  it('never replaces a file that is not a results file', async () => {
    const file = path.join(dir, 'c.json');
    writeFileSync(file, '{"hello": 1}');
    await expect(openResultsFile(file, {})).rejects.toThrow(/c\.json: not a helmholtz-ml results file/);
    await expect(openResultsFile(file, {}, { existing: 'overwrite' })).rejects.toThrow(/c\.json: not a helmholtz-ml results file.*: it is never replaced; write to another results file/);
    // Reading gives no advice to move anything (report only reads).
    await expect(readResultsFile(file)).rejects.toThrow(/c\.json: not a helmholtz-ml results file \(expected "format": "helmholtz-ml\/results"\)$/);
    expect(readFileSync(file, 'utf8')).toBe('{"hello": 1}');
    writeFileSync(file, '{"format": "helmholtz-ml/res');
    await expect(openResultsFile(file, {})).rejects.toThrow(/c\.json: not a JSON results file/);
    expect(readFileSync(file, 'utf8')).toBe('{"format": "helmholtz-ml/res');
  });

  it('records custom models and optimizers as "custom" and fingerprints data', () => {
    const s = sweepSettings({ data, model: () => null, optimizer: { minimize: 1 } });
    expect(s.model).toBe('custom');
    expect(s.optimizer).toBe('custom');
    const fp = dataFingerprint(data);
    expect(fp).toMatchObject({ train: 3, test: 1 });
    expect(fp.sha256).toMatch(/^[0-9a-f]{16}$/);
    const swapped = { ...data, train: { ...data.train, labels: [1, 1, 0] } };
    expect(dataFingerprint(swapped).sha256).not.toBe(fp.sha256);
  });

  it('writes atomically', async () => {
    const file = path.join(dir, 'sub', 'd.txt');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(path.dirname(file))).toEqual(['d.txt']);
  });
});
