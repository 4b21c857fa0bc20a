/**
 * The architecture's rules, checked on the source: no import cycle anywhere in src/, and the
 * browser-safe core (everything but src/node and src/cli) imports no `node:` module and no tfjs
 * backend. Walks the static imports of every src/ file (a small checker of our own).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Static import/export-from specifiers of a file (type-only imports included: they are edges of the design too). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1]);
  return out;
}

const all = files(SRC);
const rel = (f: string): string => path.relative(SRC, f).split(path.sep).join('/');
const resolveLocal = (from: string, spec: string): string | null => {
  if (!spec.startsWith('.')) return null;
  const target = path.resolve(path.dirname(from), spec).replace(/\.js$/, '.ts');
  return all.includes(target) ? target : null;
};
const isCore = (f: string): boolean => !/^(node|cli)\//.test(rel(f));

describe('architecture rules', () => {
  it('the core imports no node: module and no tfjs backend', () => {
    const bad: string[] = [];
    for (const f of all.filter(isCore)) {
      for (const spec of specifiers(f)) {
        if (spec.startsWith('node:') || /^@tensorflow\/tfjs-(backend-|node)/.test(spec)) bad.push(`${rel(f)} imports ${spec}`);
        const local = resolveLocal(f, spec);
        if (local && !isCore(local)) bad.push(`${rel(f)} imports ${rel(local)} (Node-only)`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('src/ has no import cycle', () => {
    const graph = new Map(all.map((f) => [f, specifiers(f).map((s) => resolveLocal(f, s)).filter((t): t is string => t !== null)]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' -> '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of all) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('every index.ts lists its exports by name (no export *)', () => {
    const star = all.filter((f) => f.endsWith('index.ts') && /^\s*export\s+\*/m.test(readFileSync(f, 'utf8'))).map(rel);
    expect(star).toEqual([]);
  });
});

/** The names an `export { a, type B, c as d } from '...'` list gives (the exported names). */
function exportedNames(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim().replace(/^type\s+/, ''))
    .filter((s) => s.length > 0)
    .map((s) => (s.includes(' as ') ? s.split(' as ')[1].trim() : s));
}

/** Every name `file` exports: its `export { ... }` lists, `export function/const/class/...`. */
function exportsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const names = new Set<string>();
  for (const m of text.matchAll(/^\s*export\s+(?:type\s+)?\{([^}]*)\}/gm)) for (const n of exportedNames(m[1])) names.add(n);
  for (const m of text.matchAll(/^\s*export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  return names;
}

/** Folder exports the top-level entry leaves out on purpose (none today; say why when adding one). */
const NOT_AT_TOP_LEVEL: Record<string, readonly string[]> = {};

describe('the top-level entry (src/index.ts)', () => {
  const top = readFileSync(path.join(SRC, 'index.ts'), 'utf8');
  const lists = [...top.matchAll(/^export\s+\{([^}]*)\}\s+from\s+'\.\/([\w-]+)\/index\.js'/gm)];

  it('re-exports every core folder index', () => {
    const folders = all.filter((f) => /^[\w-]+\/index\.ts$/.test(rel(f)) && isCore(f)).map((f) => rel(f).split('/')[0]).sort();
    expect(lists.map((m) => m[2]).sort()).toEqual(folders);
  });

  it.each(lists.map((m) => [m[2], m[1]] as const))('lists every export of src/%s/index.ts', (folder, list) => {
    // a name may come through another folder's list (the stats result shapes come with the sweep's)
    const listed = exportsOf(path.join(SRC, 'index.ts'));
    void list;
    const missing = [...exportsOf(path.join(SRC, folder, 'index.ts'))].filter((n) => !listed.has(n) && !(NOT_AT_TOP_LEVEL[folder] ?? []).includes(n));
    expect(missing, `exported by src/${folder}/index.ts but not by src/index.ts`).toEqual([]);
  });
});
