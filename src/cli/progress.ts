/**
 * Progress of a sweep on stderr: a one-line bar redrawn in place on a terminal (levels done,
 * the level and epoch in progress, its accuracy, elapsed and remaining time), or plain lines
 * (one per epoch and per finished level) when stderr is not a terminal (logs, CI, pipes).
 */
import type { ProgressEvent, RunResult } from '../noise/types.js';
import { formatDuration } from './report.js';

/** Where progress goes. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** A progress reporter for one sweep. */
export interface ProgressReporter {
  /** Pass to `estimateNoise({ onProgress })`. */
  onProgress(event: ProgressEvent): void;
  /** Call from `onCellComplete`: prints the finished cell (level, repeat). */
  levelDone(result: RunResult): void;
  /** Clears the bar (call before printing anything else, and at the end). */
  clear(): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  /** Force the terminal (bar) or plain (lines) style. Default: `stream.isTTY`. */
  tty?: boolean;
  /** Levels already finished before this run (resumed), for the "done" count. */
  resumed?: number;
  /** Modality, for level names. Default 'image'. */
  modality?: 'image' | 'audio';
  /** Minimum milliseconds between bar redraws. Default 100. */
  throttleMs?: number;
}

/**
 * Creates a progress reporter writing to `stream`.
 *
 * @example
 * const progress = createProgressReporter(process.stderr);
 * await estimateNoise({ data, onProgress: progress.onProgress, onCellComplete: progress.levelDone });
 * progress.clear();
 */
export function createProgressReporter(stream: ProgressStream, options: ProgressOptions = {}): ProgressReporter {
  const tty = options.tty ?? Boolean(stream.isTTY);
  const audio = options.modality === 'audio';
  const name = (level: number): string => (audio ? `${level} kbps` : `q ${level}`);
  const throttle = options.throttleMs ?? 100;
  const running = new Map<string, ProgressEvent>();
  let done = options.resumed ?? 0;
  let total = 0;
  let last: ProgressEvent | null = null;
  let drawn = false;
  let lastDraw = 0;

  const bar = (fraction: number, width: number): string => {
    const f = Math.max(0, Math.min(1, fraction));
    const full = Math.round(f * width);
    return '█'.repeat(full) + '░'.repeat(width - full);
  };

  const timeText = (e: ProgressEvent): string =>
    `${formatDuration(e.elapsedSeconds)} elapsed${e.etaSeconds !== undefined ? `, ~${formatDuration(e.etaSeconds)} left` : ''}`;

  const levelText = (e: ProgressEvent): string => {
    const cell = `${name(e.level)}${e.repeat !== undefined ? ` #${e.repeat + 1}` : ''}`;
    if (e.phase === 'compress') return `${cell} compressing`;
    if (e.phase === 'train') return `${cell} epoch ${e.epoch}/${e.epochs}${e.accuracy !== undefined ? ` acc ${e.accuracy.toFixed(3)}` : ''}`;
    return `${cell} done`;
  };

  const draw = (force = false): void => {
    if (!last) return;
    const nowMs = Date.now();
    if (!force && nowMs - lastDraw < throttle) return;
    lastDraw = nowMs;
    const width = Math.max(40, (stream.columns ?? 100) - 1);
    const epochs = last.epochs ?? 1;
    let unitsDone = done * (epochs + 1);
    for (const e of running.values()) unitsDone += e.phase === 'train' ? 1 + (e.epoch ?? 0) : 0;
    const fraction = total > 0 ? unitsDone / (total * (epochs + 1)) : 0;
    const levels = [...running.values()].map(levelText).join(' | ');
    let text = `${bar(fraction, 20)} ${done}/${total} cells · ${levels} · ${timeText(last)}`;
    if (text.length > width) text = text.slice(0, width - 1) + '…';
    stream.write(`\r\x1b[2K${text}`);
    drawn = true;
  };

  const clear = (): void => {
    if (tty && drawn) {
      stream.write('\r\x1b[2K');
      drawn = false;
    }
  };

  return {
    onProgress(event) {
      last = event;
      total = (options.resumed ?? 0) + event.levelCount;
      if (event.phase === 'done') {
        running.clear();
        if (tty) clear();
        return;
      }
      running.set(`${event.level}/${event.repeat ?? 0}`, event);
      if (tty) draw(event.phase === 'compress');
      else if (event.phase === 'train') {
        stream.write(`[${event.levelIndex + 1}/${event.levelCount}] ${levelText(event)} · ${timeText(event)}\n`);
      } else {
        stream.write(`[${event.levelIndex + 1}/${event.levelCount}] ${levelText(event)}\n`);
      }
    },
    levelDone(result) {
      running.delete(`${result.level}/${result.repeat}`);
      done++;
      const line = `done ${name(result.level)} #${result.repeat + 1}: accuracy ${result.accuracy.toFixed(3)} (epoch ${result.selectedEpoch} of ${result.epochsRun}${result.stillImproving ? ', still improving' : ''}), ${result.epochsToConverge === null ? 'not converged' : `converged at epoch ${result.epochsToConverge}`}, ${formatDuration(result.seconds)}`;
      if (tty) {
        clear();
        stream.write(line + '\n');
        draw(true);
      } else stream.write(line + '\n');
    },
    clear,
  };
}
