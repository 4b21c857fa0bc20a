/**
 * The "one subfolder per class" layout shared by the image-folder and WAV-folder loaders.
 */
import { readdir } from 'node:fs/promises';

/**
 * Lists the class subfolders of `dir`, sorted by name (hidden folders skipped); their index is
 * the label. Throws an `Error` naming the folder when it cannot be read or has no subfolder.
 *
 * @example
 * await listClassFolders('data/effects'); // ['Chorus', 'Distortion', ...]
 */
export async function listClassFolders(dir: string, example = 'cat/1.jpg'): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new Error(`${dir}: cannot read directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const classes = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  if (classes.length === 0) {
    throw new Error(`${dir}: no class subfolders, expected one subfolder per class (e.g. ${dir}/${example})`);
  }
  return classes;
}

/**
 * The files of one class folder whose extension (lower case, with the dot) is in `extensions`,
 * sorted by name; an `Error` naming the folder if there are none.
 *
 * @example
 * await listClassFiles('data/effects/Chorus', new Set(['.wav']));
 */
export async function listClassFiles(classDir: string, extensions: ReadonlySet<string>): Promise<string[]> {
  const entries = await readdir(classDir, { withFileTypes: true });
  const files = entries
    .filter((e) => !e.name.startsWith('.') && e.isFile() && extensions.has(extOf(e.name)))
    .map((e) => e.name)
    .sort();
  if (files.length === 0) {
    throw new Error(`${classDir}: no ${[...extensions].join('/')} files in this class folder, expected at least one`);
  }
  return files;
}

function extOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}
