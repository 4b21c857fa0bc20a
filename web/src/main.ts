/**
 * The page: data source, settings with the library's defaults, a training worker with live
 * progress and Stop, and the results drawn as each cell finishes (Figure-4 plot through
 * vega-embed with the CLI's own spec, the strip, the table, the knee in words), downloadable as
 * the CLI's results file and loadable back.
 */
import embed from 'vega-embed';
import {
  architectureNames,
  codecNames,
  getCodec,
  DEFAULT_JPEG_LEVELS,
  DEFAULT_MP3_LEVELS,
  type NoiseEstimate,
  type RunResult,
} from 'helmholtz-ml';
import { noisePlotSpec } from '../../src/node/plot.js';
import { parseResultsFile, resultsFileContent, type SweepSettings } from '../../src/node/results-format.js';
import { summarizeCells } from '../../src/noise/summarize-cells.js';
import { FolderError, filesFromDrop, filesFromInput, readFolder, type FolderFile } from './folder.js';
import type { DataSource, FromWorker, RunSettings, StripItem, ToWorker } from './protocol.js';
import './style.css';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from the page`);
  return el as T;
};

const sourceSelect = $<HTMLSelectElement>('source');
const codecSelect = $<HTMLSelectElement>('codec');
const levelsInput = $<HTMLInputElement>('levels');
const message = $<HTMLParagraphElement>('message');
const runButton = $<HTMLButtonElement>('run');
const stopButton = $<HTMLButtonElement>('stop');
const downloadButton = $<HTMLButtonElement>('download');
const progressText = $<HTMLParagraphElement>('progress-text');
const barFill = $<HTMLDivElement>('bar-fill');
const kneeText = $<HTMLParagraphElement>('knee');
const tableBody = $<HTMLTableElement>('results-table').tBodies[0];

/** The folder data read so far (null: none chosen, or it was refused). */
let folderSource: DataSource | null = null;
let worker: Worker | null = null;
let cells: RunResult[] = [];
let estimate: NoiseEstimate | null = null;
let run: { modality: 'image' | 'audio'; settings: RunSettings; trainCount: number; testCount: number; classes: number; backend: string; dataName: string } | null = null;

function showMessage(text: string | null, kind: 'error' | 'info' = 'error'): void {
  message.hidden = text === null;
  message.textContent = text ?? '';
  message.className = `message ${kind}`;
}

/** The modality the current source trains. */
function modality(): 'image' | 'audio' {
  if (sourceSelect.value === 'synthetic-audio') return 'audio';
  if (sourceSelect.value === 'folder') return folderSource?.kind === 'audio' ? 'audio' : 'image';
  return 'image';
}

/** Codec choices of the modality, with the codec's default levels. */
function refreshCodecs(): void {
  const m = modality();
  const names = codecNames().filter((n) => getCodec(n).modality === m);
  const keep = names.includes(codecSelect.value) ? codecSelect.value : names[0];
  codecSelect.replaceChildren(...names.map((n) => new Option(n === 'jpeg' ? 'JPEG' : n === 'mp3' ? 'MP3' : n === 'webp' ? 'WebP' : n, n, false, n === keep)));
  refreshLevels();
}

function refreshLevels(): void {
  const codec = getCodec(codecSelect.value);
  const sampleRate = sourceSelect.value === 'synthetic-audio' ? 16000 : folderSource?.kind === 'audio' ? folderSource.sampleRate : 44100;
  let levels: readonly number[];
  try {
    levels = codec.defaultLevels(codec.modality === 'audio' ? { sampleRate } : { channels: 3 });
  } catch {
    levels = codec.modality === 'audio' ? DEFAULT_MP3_LEVELS : DEFAULT_JPEG_LEVELS;
  }
  levelsInput.value = levels.join(', ');
}

function showSourceOptions(): void {
  $('synthetic-images-options').hidden = sourceSelect.value !== 'synthetic-images';
  $('synthetic-audio-options').hidden = sourceSelect.value !== 'synthetic-audio';
  $('folder-options').hidden = sourceSelect.value !== 'folder';
  showMessage(null);
  refreshCodecs();
}

$<HTMLSelectElement>('model').replaceChildren(...architectureNames.map((n) => new Option(n, n, false, n === 'A')));
sourceSelect.addEventListener('change', showSourceOptions);
codecSelect.addEventListener('change', refreshLevels);
const noise = $<HTMLInputElement>('noise');
noise.addEventListener('input', () => ($('noise-value').textContent = `${noise.value} DN`));
showSourceOptions();

// ---- Folders ----

/** Counts folder reads, so that only the latest one shows its outcome. */
let folderReads = 0;

async function takeFolder(files: FolderFile[], name: string): Promise<void> {
  const read = ++folderReads;
  folderSource = null;
  $('folder-summary').textContent = '';
  showMessage(`Reading ${files.length} file(s)…`, 'info');
  try {
    const source = await readFolder(files, name, Number($<HTMLSelectElement>('resize').value), (t) => read === folderReads && showMessage(t, 'info'));
    if (read !== folderReads) return;
    folderSource = source;
    const count = source.kind === 'images' ? source.images.length : source.kind === 'audio' ? source.signals.length : 0;
    const what =
      source.kind === 'images'
        ? `${count} images of ${source.images[0].width} × ${source.images[0].height}`
        : source.kind === 'audio'
          ? `${count} WAV clips of ${(source.signals[0].length / source.sampleRate).toFixed(2)} s at ${source.sampleRate} Hz`
          : '';
    const classes = source.kind === 'images' || source.kind === 'audio' ? source.classNames : [];
    $('folder-summary').textContent = `${name}: ${what} in ${classes.length} classes (${classes.join(', ')}). 75% train, 25% test.`;
    showMessage(null);
    refreshCodecs();
  } catch (err) {
    if (read !== folderReads) return;
    showMessage(err instanceof FolderError ? err.message : `Could not read the folder: ${(err as Error).message}`);
  }
}

const folderInput = $<HTMLInputElement>('folder');
folderInput.addEventListener('change', () => {
  const files = filesFromInput(folderInput.files);
  void takeFolder(files, files[0]?.path.split('/')[0] ?? 'folder');
});
$<HTMLSelectElement>('resize').addEventListener('change', () => {
  if (folderInput.files && folderInput.files.length > 0) folderInput.dispatchEvent(new Event('change'));
});
const drop = $<HTMLDivElement>('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (!e.dataTransfer) return;
  filesFromDrop(e.dataTransfer.items).then(
    (files) => takeFolder(files, files[0]?.path.split('/')[0] ?? 'folder'),
    (err: Error) => showMessage(`Could not read the dropped folder: ${err.message}`),
  );
});

// ---- Settings ----

function readSettings(): RunSettings {
  const levels = levelsInput.value.split(/[\s,]+/).filter(Boolean).map(Number);
  if (levels.length < 3 || levels.some((l) => !Number.isInteger(l))) throw new FolderError(`Levels: give at least 3 whole numbers separated by commas, got "${levelsInput.value}".`);
  const int = (id: string, lo: number, hi: number, what: string): number => {
    const v = Number($<HTMLInputElement>(id).value);
    if (!Number.isInteger(v) || v < lo || v > hi) throw new FolderError(`${what} must be a whole number from ${lo} to ${hi}, got "${$<HTMLInputElement>(id).value}".`);
    return v;
  };
  return {
    codec: codecSelect.value,
    levels,
    model: $<HTMLSelectElement>('model').value,
    widthMultiplier: Number($<HTMLSelectElement>('width').value),
    epochs: int('epochs', 1, 500, 'Epochs'),
    repeats: int('repeats', 1, 20, 'Repeats'),
    backend: $<HTMLSelectElement>('backend').value as RunSettings['backend'],
    seed: 0,
  };
}

function readSource(): { source: DataSource; name: string } {
  if (sourceSelect.value === 'synthetic-images') {
    const count = Number($<HTMLInputElement>('image-count').value);
    const size = Number($<HTMLInputElement>('image-size').value);
    const classes = Number($<HTMLInputElement>('image-classes').value);
    return { source: { kind: 'synthetic-images', count, size, classes, noise: Number(noise.value) }, name: `synthetic sensor images (noise ${noise.value} DN, ${size} px)` };
  }
  if (sourceSelect.value === 'synthetic-audio') {
    return { source: { kind: 'synthetic-audio', count: Number($<HTMLInputElement>('clip-count').value), duration: Number($<HTMLInputElement>('clip-duration').value) }, name: 'synthetic guitar effects' };
  }
  if (!folderSource) throw new FolderError('Choose a folder first (one subfolder per class), or fix the problem shown above.');
  return { source: folderSource, name: folderSource.kind === 'images' || folderSource.kind === 'audio' ? folderSource.name : 'folder' };
}

// ---- Running ----

function setRunning(running: boolean): void {
  runButton.disabled = running;
  stopButton.disabled = !running;
  sourceSelect.disabled = running;
}

function time(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '…';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

runButton.addEventListener('click', () => {
  let settings: RunSettings;
  let picked: { source: DataSource; name: string };
  try {
    picked = readSource();
    settings = readSettings();
  } catch (err) {
    showMessage((err as Error).message);
    return;
  }
  showMessage(null);
  cells = [];
  estimate = null;
  render();
  $('strip').replaceChildren();
  worker?.terminate();
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  run = { modality: picked.source.kind === 'audio' || picked.source.kind === 'synthetic-audio' ? 'audio' : 'image', settings, trainCount: 0, testCount: 0, classes: 0, backend: '', dataName: picked.name };
  const total = settings.levels.length * settings.repeats;
  progressText.textContent = 'Starting the backend…';
  barFill.style.width = '0%';
  setRunning(true);
  worker.onmessage = (e: MessageEvent<FromWorker>) => onWorker(e.data, total);
  worker.onerror = (e) => {
    showMessage(`The training worker failed: ${e.message}`);
    setRunning(false);
  };
  worker.postMessage({ type: 'run', source: picked.source, settings } satisfies ToWorker);
});

stopButton.addEventListener('click', () => {
  worker?.postMessage({ type: 'stop' } satisfies ToWorker);
  stopButton.disabled = true;
  progressText.textContent = 'Stopping after the current epoch…';
});

function onWorker(m: FromWorker, total: number): void {
  if (!run) return;
  if (m.type === 'backend') {
    run.backend = m.backend;
    $('backend-note').textContent = `Running on ${m.reason}` + (m.tried.length > 0 ? ` Skipped: ${m.tried.join('; ')}.` : '');
  } else if (m.type === 'data') {
    Object.assign(run, { trainCount: m.trainCount, testCount: m.testCount, classes: m.classes, modality: m.modality });
  } else if (m.type === 'strip') {
    drawStrip(m.items);
  } else if (m.type === 'progress') {
    const ev = m.event;
    const done = cells.length;
    const epochPart = ev.phase === 'train' && ev.epoch !== undefined ? ` · epoch ${ev.epoch}/${ev.epochs ?? '?'}${ev.accuracy !== undefined ? `, validation accuracy ${ev.accuracy.toFixed(3)}` : ''}` : ev.phase === 'compress' ? ' · compressing' : '';
    const cellPart = `cell ${Math.min(done + 1, total)} of ${total} (level ${ev.level}${ev.repeat !== undefined ? `, repeat ${ev.repeat + 1}` : ''})`;
    const frac = ev.epoch !== undefined && ev.epochs ? (done + ev.epoch / ev.epochs) / total : done / total;
    barFill.style.width = `${Math.round(100 * Math.min(1, frac))}%`;
    progressText.textContent = `${done} of ${total} cells done · ${cellPart}${epochPart} · elapsed ${time(ev.elapsedSeconds)} · left ${time(ev.etaSeconds)}`;
  } else if (m.type === 'cell') {
    cells.push(m.result);
    render();
  } else if (m.type === 'done') {
    estimate = m.estimate;
    cells = estimate.levels.flatMap((l) => l.runs);
    barFill.style.width = '100%';
    progressText.textContent = `Done: ${total} cells in ${time(m.seconds)} on ${run.backend}.`;
    setRunning(false);
    render();
  } else if (m.type === 'stopped') {
    cells = m.cells;
    progressText.textContent = `Stopped: ${cells.length} of ${total} cells finished and kept.`;
    setRunning(false);
    render();
  } else if (m.type === 'error') {
    showMessage(`The run failed: ${m.message}`);
    progressText.textContent = `Failed after ${cells.length} of ${total} cells.`;
    setRunning(false);
    render();
  }
}

// ---- Results ----

/** The estimate to show: the sweep's own when it finished, else a summary of the cells so far. */
function currentEstimate(): NoiseEstimate | null {
  if (estimate) return estimate;
  if (!run || cells.length === 0) return null;
  try {
    return summarizeCells(cells, { modality: run.modality, codec: run.settings.codec, grid: run.settings.levels, trainCount: run.trainCount, classes: run.classes, backend: run.backend, repeats: run.settings.repeats });
  } catch {
    return null;
  }
}

function ci(l: NoiseEstimate['levels'][number]): string {
  return l.accuracyCi && Number.isFinite(l.accuracyCi[0]) ? `${l.accuracyCi[0].toFixed(3)} – ${l.accuracyCi[1].toFixed(3)}${l.ciMethod === 'bootstrap-test-items' ? ' (bootstrap, 1 run)' : ''}` : '—';
}

function bits(l: NoiseEstimate['levels'][number]): string {
  const b = l.bits;
  if (!b || !Number.isFinite(b.measured)) return '—';
  return b.unit === 'bits/s' ? `${(b.measured / 1000).toFixed(1)} kbit/s` : `${b.measured.toFixed(2)} bpp`;
}

function describeKnee(e: NoiseEstimate, partial: boolean): string {
  const audio = e.modality === 'audio';
  const name = (level: number) => (audio ? `${level} kbps` : `quality ${level}`);
  const parts: string[] = [];
  if (partial) parts.push(`Partial: ${cells.length} finished cell(s).`);
  if (e.knee) {
    parts.push(
      `Knee (N_approx) at ${getCodec(e.codec).levelName} ${e.knee.level} (Q ${e.knee.Q.toFixed(2)})` +
        (e.knee.range ? `, range ${name(e.knee.range[0])} to ${name(e.knee.range[1])}` : '') +
        (Number.isFinite(e.knee.support) ? `, ${Math.round(e.knee.support * 100)}% of resamples agree.` : '.'),
    );
  } else {
    const why: Record<string, string> = {
      flat: 'the accuracy spread across all levels is within its own noise',
      'not-learned': 'the classifier did not learn (not above chance): use more data or epochs',
      'still-improving': 'the classifier was still improving at its last epoch: train longer',
      'too-few-levels': 'fewer than 3 levels finished',
    };
    parts.push(`No knee: ${e.kneeReason ? (why[e.kneeReason] ?? e.kneeReason.replace(/-/g, ' ')) : 'the curve does not fall off in the levels tried'}.`);
  }
  if (e.content) {
    const unit = e.content.unit === 'bits/s' ? 'bits per second' : 'bits per pixel';
    parts.push(`Content: about ${e.content.measured < 10 ? e.content.measured.toFixed(2) : e.content.measured.toFixed(0)} ${unit} remain at the knee; the rest of the ${e.sourceBits} source bits is noise the classifier does not need.`);
  }
  if (e.recommendation) parts.push(`Recommended: ${name(e.recommendation.level)}. ${e.recommendation.reason.replace(/\.$/, '')}.`);
  const k = e.levels.find((l) => l.level === e.knee?.level);
  if (k) parts.push(`Accuracy there: ${k.accuracy.toFixed(3)}, 95% interval ${ci(k)}, over ${k.runs.length} run(s).`);
  return parts.join(' ');
}

let plotted = 0;
async function render(): Promise<void> {
  const e = currentEstimate();
  downloadButton.disabled = cells.length === 0 && !estimate;
  if (!e) {
    tableBody.replaceChildren();
    $('plot').replaceChildren();
    kneeText.textContent = 'Results appear here as each level finishes.';
    return;
  }
  const rows = [...e.levels].sort((a, b) => b.level - a.level).map((l) => {
    const tr = document.createElement('tr');
    if (e.knee?.level === l.level) tr.className = 'knee-row';
    for (const text of [String(l.level), l.Q.toFixed(2), l.accuracy.toFixed(3), ci(l), String(l.runs.length), bits(l), l.epochsToConverge ? l.epochsToConverge.mean.toFixed(1) : '—']) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  tableBody.replaceChildren(...rows);
  kneeText.textContent = describeKnee(e, !estimate);
  const ticket = ++plotted;
  try {
    const width = Math.min(760, Math.max(320, $('plot').clientWidth - 40));
    const spec = noisePlotSpec(e, { width, height: Math.round(width * 0.55), dataName: run?.dataName });
    const target = document.createElement('div');
    await embed(target, spec as never, { actions: { export: true, source: false, compiled: false, editor: false }, renderer: 'svg' });
    if (ticket === plotted) $('plot').replaceChildren(target);
  } catch (err) {
    if (ticket === plotted) $('plot').textContent = `The plot could not be drawn: ${(err as Error).message}`;
  }
}

function drawStrip(items: StripItem[]): void {
  const figures = [...items].sort((a, b) => b.level - a.level).map((item) => {
    const canvas = document.createElement('canvas');
    canvas.width = item.width;
    canvas.height = item.height;
    canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(item.rgba), item.width, item.height), 0, 0);
    canvas.className = item.kind;
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = run?.modality === 'audio' ? `${item.level} kbps` : `q ${item.level}`;
    figure.append(canvas, caption);
    return figure;
  });
  $('strip').replaceChildren(...figures);
}

// ---- Download and load ----

function settingsForFile(): SweepSettings {
  if (!run) return {};
  const s = run.settings;
  return {
    modality: run.modality,
    codec: s.codec,
    levels: s.levels,
    model: s.model,
    modelOptions: { widthMultiplier: s.widthMultiplier },
    epochs: s.epochs,
    repeats: s.repeats,
    seed: s.seed,
    backend: run.backend,
    data: { name: run.dataName, train: run.trainCount, test: run.testCount, classes: run.classes },
    app: 'helmholtz-ml web page',
  };
}

downloadButton.addEventListener('click', () => {
  const content = resultsFileContent(settingsForFile(), cells, estimate);
  const blob = new Blob([JSON.stringify(content, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `helmholtz-results-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

const loadInput = $<HTMLInputElement>('load');
loadInput.addEventListener('change', async () => {
  const file = loadInput.files?.[0];
  if (!file) return;
  try {
    const content = parseResultsFile(await file.text(), file.name);
    const st = content.settings as { modality?: 'image' | 'audio'; codec?: string; levels?: number[]; repeats?: number; epochs?: number; model?: string; seed?: number; backend?: string; data?: { train?: number; test?: number; classes?: number; name?: string } | null };
    const e = content.estimate;
    const mod = e?.modality ?? st.modality ?? 'image';
    const codec = e?.codec ?? st.codec ?? (mod === 'audio' ? 'mp3' : 'jpeg');
    const levels = st.levels ?? [...new Set(content.cells.map((c) => c.level))];
    run = {
      modality: mod,
      settings: { codec, levels, model: st.model ?? 'A', widthMultiplier: 1, epochs: st.epochs ?? 10, repeats: st.repeats ?? 1, backend: 'auto', seed: st.seed ?? 0 },
      trainCount: e?.trainCount ?? st.data?.train ?? 0,
      testCount: e?.testCount ?? st.data?.test ?? 0,
      classes: e?.classes ?? st.data?.classes ?? 0,
      backend: e?.backend ?? st.backend ?? '',
      dataName: st.data?.name ?? file.name,
    };
    estimate = e;
    cells = e ? e.levels.flatMap((l) => l.runs) : content.cells;
    if (cells.length === 0 && !e) throw new Error(`${file.name}: holds no finished cell yet`);
    showMessage(`Loaded ${file.name}: ${cells.length} cell(s)${e ? '' : ' (partial)'}.`, 'info');
    progressText.textContent = `Showing ${file.name}.`;
    $('strip').replaceChildren();
    await render();
  } catch (err) {
    showMessage((err as Error).message);
  } finally {
    loadInput.value = '';
  }
});

document.title = 'helmholtz-ml';
document.body.dataset.ready = 'true';
