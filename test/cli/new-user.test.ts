/** Issue 16: what a new user hits (usage errors before loading, files never destroyed, README commands). */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliIo } from '../../src/cli/run.js';
import { defaultBatchSize } from '../../src/cli/batch-size.js';
import type { NodeEstimateNoiseOptions } from '../../src/node/estimate.js';
import type { NoiseEstimate } from '../../src/noise/types.js';
import { sampleEstimate } from '../node/sample-estimate.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIX = path.join(ROOT, 'test', 'fixtures', 'node');
const tmp = mkdtempSync(path.join(tmpdir(), 'hh-newuser-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; calls: NodeEstimateNoiseOptions[] }> {
  let stdout = '';
  let stderr = '';
  const calls: NodeEstimateNoiseOptions[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd: tmp,
    estimateNoise: async (options): Promise<NoiseEstimate> => {
      calls.push(options);
      return sampleEstimate();
    },
    renderPlot: async () => '<?xml version="1.0" encoding="UTF-8"?>\n<svg>fake</svg>',
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr, calls };
}

/** A data spec that fails with exit 1 if anything tries to load it. */
const MISSING_WAV = 'wav-folder:no-such-folder';
const MISSING_IDX = 'idx:no-such-folder';

describe('usage errors: exit 2, the flag named, before any loading', () => {
  const cases: [string[], RegExp][] = [
    // The silent case: 320 kbps at 22.05 kHz (MPEG-2 tops out at 160).
    [['--audio', '--data', MISSING_WAV, '--sample-rate', '22050', '--levels', '8,160,320'], /--levels 8,160,320: 320 is not a level mp3 can honour at --sample-rate 22050; the kbps levels there are 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160/],
    // Not a bitrate at all: failed with exit 1 after loading.
    [['--audio', '--data', MISSING_WAV, '--levels', '8,10,32'], /--levels 8,10,32: 10 is not a level mp3 can honour at --sample-rate 44100/],
    [['--audio', '--data', MISSING_WAV, '--sample-rate', '8000'], /the default levels \(8,16,32,64,96,128,160\): 96, 128, 160 are not levels .*8000.* \(pass --levels\)/],
    [['--data', MISSING_IDX, '--codec', 'mp3'], /--codec mp3 compresses audio \(add --audio\)/],
    [['--audio', '--data', MISSING_WAV, '--codec', 'jpeg'], /--codec jpeg compresses images \(drop --audio\)/],
    [['--data', MISSING_IDX, '--sample-rate', '22050'], /--sample-rate needs --audio/],
    [['--data', MISSING_IDX, '--duration', '2'], /--duration needs --audio/],
    [['--audio', '--data', MISSING_WAV, '--fit', 'cover'], /--fit is for images/],
    [['--audio', '--data', 'idx:foo'], /--data must be wav-folder:DIR with --audio/],
    [['--data', 'mnist:/x'], /--data must start with cifar10:, idx:, folder: or \(with --audio\) wav-folder:/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const r = await cli(['estimate', ...argv]);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
      expect(r.calls).toHaveLength(0);
    });
  }
});

describe('output files: a typo never costs a file', () => {
  const notes = path.join(tmp, 'notes.json');
  const text = '{"my": "notes"}\n';
  for (const extra of [[], ['--overwrite'], ['--resume']]) {
    it(`--out notes.json ${extra.join(' ')} refuses a JSON file that is not a results file`, async () => {
      writeFileSync(notes, text);
      const r = await cli(['estimate', '--data', MISSING_IDX, '--levels', '1,50,100', '--out', 'notes.json', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--out notes\.json: not a helmholtz-ml results file/);
      expect(readFileSync(notes, 'utf8')).toBe(text);
    });
  }

  it('--csv and --plot refuse an existing file of another kind, and two flags naming one file', async () => {
    writeFileSync(notes, text);
    for (const flag of ['--csv', '--plot']) {
      const r = await cli(['estimate', '--data', MISSING_IDX, '--levels', '1,50,100', flag, 'notes.json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${flag} notes\\.json exists and is not (a per-level CSV|an SVG)`));
      expect(readFileSync(notes, 'utf8')).toBe(text);
    }
    const same = await cli(['estimate', '--data', MISSING_IDX, '--levels', '1,50,100', '--out', 'r.json', '--csv', 'r.json']);
    expect(same.stderr).toMatch(/--csv r\.json is also --out/);
    mkdirSync(path.join(tmp, 'adir'), { recursive: true });
    expect((await cli(['estimate', '--data', MISSING_IDX, '--levels', '1,50,100', '--plot', 'adir'])).stderr).toMatch(/--plot adir exists and is not a file/);
  });

  it('replaces its own CSV and SVG from an earlier run', async () => {
    const args = ['estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--levels', '1,50,100', '--csv', 'own.csv', '--plot', 'own.svg', '-q'];
    expect((await cli(args)).code).toBe(0);
    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(readFileSync(path.join(tmp, 'own.csv'), 'utf8')).toMatch(/^level,Q,/);
  });
});

describe('defaults that train on small sets', () => {
  it('scales the default batch size to at least 40 steps per epoch, capped at the paper\'s', () => {
    expect(defaultBatchSize(1200, 0.1, 128)).toBe(27);
    expect(Math.floor(1080 / defaultBatchSize(1200, 0.1, 128))).toBeGreaterThanOrEqual(40);
    expect(defaultBatchSize(60000, 0.1, 128)).toBe(128);
    expect(defaultBatchSize(8000, 0.1, 50)).toBe(50);
    expect(defaultBatchSize(50, 0.1, 128)).toBe(8);
  });

  it('estimate passes the scaled batch size unless --batch-size is given, and says so', async () => {
    const r = await cli(['estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--levels', '1,50,100']);
    expect(r.code).toBe(0);
    expect(r.calls[0].batchSize).toBe(8);
    expect(r.stderr).toMatch(/Data: .*; batch size 8 \(scaled to the data\)/);
    const given = await cli(['estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--levels', '1,50,100', '--batch-size', '3']);
    expect(given.calls[0].batchSize).toBe(3);
  });
});

describe('smaller items', () => {
  it('--quiet prints no "Data:" line', async () => {
    const r = await cli(['estimate', '--data', `idx:${path.join(FIX, 'idx')}`, '--levels', '1,50,100', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('--help gives the audio --test-fraction default and lists wav-folder:', async () => {
    const help = (await cli(['estimate', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/--test-fraction F .*Default: 0\.2 \(0\.25 with --audio, as the paper\)/);
    expect(help).toContain('wav-folder:DIR');
  });

  it('LabeledSignals is declared once', () => {
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && /interface LabeledSignals\b/.test(readFileSync(p, 'utf8'))) hits.push(path.relative(ROOT, p));
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(hits).toEqual([path.join('src', 'data', 'labeled.ts')]);
  });
});

/** Command lines of the README's and docs/cli.md's sh blocks that run the CLI. */
function documentedCommands(file: string): string[][] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[][] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1].replace(/\\\n\s*/g, ' ');
    for (const raw of joined.split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').trim();
      const m = /^(?:npm run cli --|npx helmholtz-ml)\s+(.*)$/.exec(line);
      if (m) out.push(m[1].split(/\s+/).filter(Boolean));
    }
  }
  return out;
}

describe('the README\'s commands work as written from a clone', () => {
  const commands = [...documentedCommands('README.md'), ...documentedCommands('docs/cli.md')];
  it('finds them, and every one from a clone uses npm run cli', () => {
    expect(documentedCommands('README.md').length).toBeGreaterThanOrEqual(2);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/npm run cli -- estimate --data/);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts.cli).toBe('tsx src/cli/main.ts');
    expect(pkg.bin['helmholtz-ml']).toBe('./dist/cli/main.js');
  });
  for (const argv of commands) {
    const withHelp = argv.includes('--help') ? argv : [...argv, '--help'];
    it(withHelp.join(' '), async () => {
      const r = await cli(withHelp);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: helmholtz-ml/);
    });
  }
  it('npm run cli -- estimate --help runs in a shell (exit 0)', () => {
    const out = execFileSync('npm', ['run', '-s', 'cli', '--', 'estimate', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(out).toMatch(/^Usage: helmholtz-ml estimate/);
  }, 90_000);
});
