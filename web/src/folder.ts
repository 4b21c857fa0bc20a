/**
 * A folder of labeled files (one subfolder per class) read in the page: from
 * `<input webkitdirectory>` or a drop. Images (JPEG, PNG) are decoded by the browser and resized
 * to the chosen size; WAV clips are decoded by the library. Every problem is thrown as a
 * {@link FolderError} with a sentence for the page.
 */
import { decodeWav, mixToMono, type Image } from 'helmholtz-ml';
import type { DataSource } from './protocol.js';

/** A problem with the chosen folder, said for a person. */
export class FolderError extends Error {}

/** A file and its path inside the chosen folder ("cats/a.png" or "pets/cats/a.png"). */
export interface FolderFile {
  path: string;
  file: File;
}

const IMAGE = /\.(jpe?g|png)$/i;
const WAV = /\.wav$/i;

/** Files from `<input webkitdirectory>` (their `webkitRelativePath`). */
export function filesFromInput(list: FileList | null): FolderFile[] {
  return [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

/** Files from a drop of one or more folders (walks `webkitGetAsEntry`). */
export async function filesFromDrop(items: DataTransferItemList): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ path: prefix + entry.name, file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  const entries = [...items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  for (const entry of entries) await walk(entry, '');
  return out;
}

/** Groups files by their class folder (the folder right above each file). */
function classify(files: FolderFile[]): { kind: 'image' | 'audio'; byClass: Map<string, FolderFile[]> } {
  const visible = files.filter((f) => !f.path.split('/').some((part) => part.startsWith('.')));
  if (visible.length === 0) throw new FolderError('The folder is empty: put one subfolder per class in it, each holding JPEG/PNG images or WAV clips.');
  const loose = visible.filter((f) => f.path.split('/').length < 2);
  if (loose.length === visible.length) throw new FolderError(`The files are not in class subfolders (e.g. ${loose[0].path}): choose a folder holding one subfolder per class.`);
  const other = visible.filter((f) => !IMAGE.test(f.path) && !WAV.test(f.path));
  if (other.length > 0) {
    throw new FolderError(`Unsupported file${other.length > 1 ? 's' : ''}: ${other.slice(0, 3).map((f) => f.path).join(', ')}${other.length > 3 ? ` and ${other.length - 3} more` : ''}. Use JPEG or PNG images, or WAV clips.`);
  }
  const images = visible.filter((f) => IMAGE.test(f.path)).length;
  const clips = visible.length - images;
  if (images > 0 && clips > 0) throw new FolderError(`Mixed files: ${images} image(s) and ${clips} WAV clip(s). Use one kind per data set.`);
  const byClass = new Map<string, FolderFile[]>();
  for (const f of visible) {
    const parts = f.path.split('/');
    const name = parts.length >= 2 ? parts[parts.length - 2] : '(top level)';
    byClass.set(name, [...(byClass.get(name) ?? []), f]);
  }
  if (byClass.size < 2) throw new FolderError(`Only one class ("${[...byClass.keys()][0]}"): a classifier needs at least two class subfolders.`);
  const small = [...byClass].filter(([, list]) => list.length < 2);
  if (small.length > 0) throw new FolderError(`Class "${small[0][0]}" holds ${small[0][1].length} file: each class needs at least 2 (some go to the test set).`);
  return { kind: images > 0 ? 'image' : 'audio', byClass };
}

async function decodeImage(f: FolderFile, size: number): Promise<Image> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(f.file);
  } catch {
    throw new FolderError(`${f.path} could not be read as an image (damaged, or not really a JPEG/PNG).`);
  }
  const width = size > 0 ? size : bitmap.width;
  const height = size > 0 ? size : bitmap.height;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new FolderError('This browser cannot draw images off screen (no 2D OffscreenCanvas).');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    data[p * 3] = rgba[p * 4];
    data[p * 3 + 1] = rgba[p * 4 + 1];
    data[p * 3 + 2] = rgba[p * 4 + 2];
  }
  return { width, height, channels: 3, data };
}

/**
 * Reads a labeled folder into a data source. `size` > 0 resizes images to size × size; 0 keeps
 * their size (then all must agree). `onStatus` gets "decoded 40 / 120" as it goes.
 */
export async function readFolder(files: FolderFile[], name: string, size: number, onStatus: (text: string) => void = () => {}): Promise<DataSource> {
  const { kind, byClass } = classify(files);
  const classNames = [...byClass.keys()].sort();
  const all = classNames.flatMap((c, label) => byClass.get(c)!.map((f) => ({ f, label })));
  if (kind === 'image') {
    const images: Image[] = [];
    for (const [i, { f }] of all.entries()) {
      images.push(await decodeImage(f, size));
      if (i % 16 === 15) {
        onStatus(`decoded ${i + 1} / ${all.length} images`);
        await new Promise((r) => setTimeout(r, 0));
      }
      const first = images[0];
      const last = images[images.length - 1];
      if (last.width !== first.width || last.height !== first.height) {
        throw new FolderError(`Images differ in size: ${all[0].f.path} is ${first.width}×${first.height}, ${f.path} is ${last.width}×${last.height}. Choose a size to resize them to.`);
      }
    }
    return { kind: 'images', images, labels: all.map((a) => a.label), classNames, name };
  }
  const signals: Float32Array[] = [];
  let sampleRate = 0;
  for (const { f } of all) {
    let wav;
    try {
      wav = decodeWav(new Uint8Array(await f.file.arrayBuffer()), { name: f.path });
    } catch (err) {
      throw new FolderError(`${f.path} could not be read as WAV: ${(err as Error).message}`);
    }
    if (sampleRate === 0) sampleRate = wav.sampleRate;
    if (wav.sampleRate !== sampleRate) throw new FolderError(`Clips differ in sample rate: ${all[0].f.path} is ${sampleRate} Hz, ${f.path} is ${wav.sampleRate} Hz. Resample them to one rate.`);
    signals.push(mixToMono(wav.channelData));
  }
  // The sweep needs clips of one length: cut all to the shortest.
  const shortest = Math.min(...signals.map((s) => s.length));
  if (shortest < sampleRate * 0.1) throw new FolderError(`A clip is shorter than 0.1 s (${shortest} samples): too short for a spectrogram.`);
  return { kind: 'audio', signals: signals.map((s) => s.slice(0, shortest)), sampleRate, labels: all.map((a) => a.label), classNames, name };
}
