/** Worker and coordinator processes of the queue tests (the CLI from source, through tsx). */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultsFileContent } from '../../src/node/results-file.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A CLI process with its output collected. */
export interface CliProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves when the output matches `pattern` (rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
}

/** Starts `helmholtz-ml ARGS` from source. */
export function startCli(args: string[]): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const add = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const l of [...listeners]) l();
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, ms = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(text)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${pattern} in:\n${text}`));
        }, ms);
        listeners.add(check);
        check();
      }),
  };
}

/** The tiny sweep of the tests: synthetic 12x12 images, 3 levels x 2 repeats, width 1/8, 1 epoch. */
export const TINY_SWEEP = [
  '--data', 'synthetic:train=120,test=40,size=12,classes=3', '--levels', '10,50,90', '--repeats', '2', '--epochs', '1',
  '--width', '0.125', '--batch-size', '16', '--backend', 'wasm', '--threads', '1',
];

/** Worker flags of the tests: short locks so a killed worker's cell is retrained within seconds. */
export function workerArgs(url: string, queue: string, name: string): string[] {
  return ['worker', '--redis', url, '--queue', queue, '--name', name, '--backend', 'wasm', '--threads', '1', '--lock-ms', '1500', '--stalled-ms', '500'];
}

/** The "done" lines of workers' logs: `name: done level L #R`. */
export function doneCells(logs: string[]): string[] {
  return logs.flatMap((log) => [...log.matchAll(/: done level (\d+) #(\d+)/g)].map((m) => `${m[1]}/${Number(m[2]) - 1}`));
}

/** CLI processes started by a test file, all killed (SIGKILL) by `stopAll` in its afterAll. */
export function processGroup(): { start(args: string[]): CliProcess; stopAll(): Promise<void> } {
  const running: CliProcess[] = [];
  return {
    start(args) {
      const p = startCli(args);
      running.push(p);
      return p;
    },
    async stopAll() {
      for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
      await Promise.all(running.map((p) => p.exited));
    },
  };
}

/** A results file's content. */
export function readResults(file: string): ResultsFileContent {
  return JSON.parse(readFileSync(file, 'utf8')) as ResultsFileContent;
}

/** Per cell (`level/repeat`): the accuracy and every epoch's losses (floats: the same seeds give the same training). */
export function cellTrainings(content: ResultsFileContent): Record<string, unknown> {
  return Object.fromEntries(content.cells.map((c) => [`${c.level}/${c.repeat}`, { accuracy: c.accuracy, losses: c.history.map((h) => [h.loss, h.valLoss]) }]));
}
