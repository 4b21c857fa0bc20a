/**
 * Output files of a command, checked before any work: a typo in `--out`, `--csv` or `--plot`
 * must never cost a user a file. An existing `--out` must be a helmholtz-ml results file (any
 * version with `--overwrite`), an existing `--csv` a CSV this tool wrote (header `level,Q,...`),
 * an existing `--plot` an SVG; two flags may not name the same file.
 */
import { open, stat } from 'node:fs/promises';
import { readResultsFile } from '../node/results-file.js';
import { UsageError } from './args.js';

/** One output file: the flag that named it, as typed and resolved, and what it holds. */
export interface OutputFile {
  /** The flag, without dashes, e.g. `csv`. */
  flag: string;
  /** As given on the command line (for messages). */
  given: string;
  /** Absolute path. */
  path: string;
  kind: 'results' | 'csv' | 'svg';
}

const NOT_A_FILE = Symbol('not a file');

/** The first 512 bytes of `file` as text, null when it does not exist. */
async function head(file: string): Promise<string | null | typeof NOT_A_FILE> {
  let handle;
  try {
    if (!(await stat(file)).isFile()) return NOT_A_FILE;
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, 512, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Throws {@link UsageError} naming the flag when an output file exists and is not of its kind
 * (results file, our CSV, an SVG), is a folder, or is named by two flags. `overwrite`: a results
 * file of another version may be replaced (what `--overwrite` allows).
 *
 * @example
 * await checkOutputFiles([{ flag: 'out', given: 'notes.json', path: '/home/me/notes.json', kind: 'results' }]); // UsageError when notes.json is not a results file
 */
export async function checkOutputFiles(files: readonly OutputFile[], options: { overwrite?: boolean } = {}): Promise<void> {
  const seen = new Map<string, string>();
  for (const f of files) {
    const other = seen.get(f.path);
    if (other) throw new UsageError(`--${f.flag} ${f.given} is also --${other}: give each output its own file`);
    seen.set(f.path, f.flag);
    const text = await head(f.path);
    if (text === null) continue;
    if (text === NOT_A_FILE) throw new UsageError(`--${f.flag} ${f.given} exists and is not a file (a folder?): give a file name`);
    const refuse = (what: string): never => {
      throw new UsageError(`--${f.flag} ${f.given} exists and is not ${what}: it is never replaced; choose another file name (or move it away)`);
    };
    if (f.kind === 'results') {
      try {
        await readResultsFile(f.path, { anyVersion: options.overwrite === true });
      } catch (err) {
        const why = (err as Error).message.startsWith(`${f.path}: `) ? (err as Error).message.slice(f.path.length + 2) : (err as Error).message;
        throw new UsageError(`--${f.flag} ${f.given}: ${why}; it is never replaced: choose another --${f.flag} (or move it away)`);
      }
    } else if (f.kind === 'csv') {
      if (!/^level,Q[,\r\n]/.test(text)) refuse('a per-level CSV written by helmholtz-ml (header "level,Q,...")');
    } else if (!/^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(text)) {
      refuse('an SVG file');
    }
  }
}
