/**
 * A small, strict command-line flag parser: declared flags only (`--name value`,
 * `--name=value`, boolean `--name`), typed values, a usage error (exit code 2) naming the flag,
 * the bad value and what is allowed, and `--help` text generated from the same declarations.
 */

/** A command-line mistake: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Declaration of one flag. */
export interface FlagSpec {
  /** Long name without dashes, e.g. `batch-size`. */
  name: string;
  /** `boolean` flags take no value; the others take one. */
  type: 'string' | 'integer' | 'number' | 'boolean';
  /** Placeholder in the help, e.g. `N`, `DIR`. */
  metavar?: string;
  /** One or more sentences for `--help`. */
  help: string;
  /** Default shown in the help (the value used when the flag is absent is decided by the command). */
  defaultText?: string;
  /** Allowed values (string flags). */
  choices?: readonly string[];
  /** Smallest allowed value (integer/number flags). */
  min?: number;
  /** Largest allowed value (integer/number flags). */
  max?: number;
  /** Single-letter alias, e.g. `h`. */
  short?: string;
}

/** Parsed flag values, by long name. */
export type FlagValues = Record<string, string | number | boolean | undefined>;

/**
 * Parses `argv` against `specs`. Throws {@link UsageError} for an unknown flag (suggesting the
 * nearest), a missing value, a bad number or choice, a repeated flag, or a stray argument.
 *
 * @example
 * parseFlags(['--epochs', '5'], [{ name: 'epochs', type: 'integer', help: '...' }], 'estimate'); // { epochs: 5 }
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], command: string): FlagValues {
  const values: FlagValues = {};
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec) {
        const near = nearest(name, specs.map((s) => s.name));
        throw new UsageError(`unknown flag --${name} for \`helmholtz-ml ${command}\`${near ? ` (did you mean --${near}?)` : ''}`);
      }
    } else if (/^-[A-Za-z]$/.test(arg)) {
      spec = byShort.get(arg.slice(1));
      if (!spec) throw new UsageError(`unknown flag ${arg} for \`helmholtz-ml ${command}\``);
    } else {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)} for \`helmholtz-ml ${command}\` (flags start with --)`);
    }
    if (values[spec.name] !== undefined) throw new UsageError(`--${spec.name} is given twice`);
    if (spec.type === 'boolean') {
      if (inline !== undefined) {
        if (!['true', 'false'].includes(inline)) throw new UsageError(`--${spec.name} takes no value (or =true/=false), got ${JSON.stringify(inline)}`);
        values[spec.name] = inline === 'true';
      } else values[spec.name] = true;
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${spec.name} needs a value (${spec.metavar ?? spec.type})`);
      }
      raw = next;
      i++;
    }
    values[spec.name] = convert(spec, raw);
  }
  return values;
}

function convert(spec: FlagSpec, raw: string): string | number {
  if (spec.type === 'string') {
    if (raw.length === 0) throw new UsageError(`--${spec.name} must not be empty`);
    if (spec.choices && !spec.choices.includes(raw)) {
      throw new UsageError(`--${spec.name} must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(raw)}`);
    }
    return raw;
  }
  const n = Number(raw);
  const what = spec.type === 'integer' ? 'an integer' : 'a number';
  const range =
    spec.min !== undefined && spec.max !== undefined ? ` in ${spec.min}..${spec.max}` : spec.min !== undefined ? ` >= ${spec.min}` : spec.max !== undefined ? ` <= ${spec.max}` : '';
  if (raw.trim() === '' || !Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n)) || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    throw new UsageError(`--${spec.name} must be ${what}${range}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * Parses a comma-separated list of integers (e.g. `--levels 1,5,20,100`).
 *
 * @example
 * parseIntegerList('levels', '1,5,20', 1, 100); // [1, 5, 20]
 */
export function parseIntegerList(flag: string, raw: string, min: number, max: number): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  return parts.map((p) => {
    const n = Number(p);
    if (p === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`--${flag} must be a comma-separated list of integers in ${min}..${max}, got ${JSON.stringify(p)} in ${JSON.stringify(raw)}`);
    }
    return n;
  });
}

/**
 * Help text for a command: usage line, description, then every flag with its placeholder,
 * explanation, choices and default, wrapped to `width` columns.
 *
 * @example
 * formatHelp('demo', 'Runs a small sweep.', specs);
 */
export function formatHelp(command: string, usage: string, description: string, specs: readonly FlagSpec[], footer = '', width = 100): string {
  const lines = [`Usage: ${usage}`, '', ...wrap(description, width), '', 'Flags:'];
  const labels = specs.map((s) => `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.type === 'boolean' ? '' : ` ${s.metavar ?? s.type.toUpperCase()}`}`);
  const col = Math.min(Math.max(...labels.map((l) => l.length)) + 4, 34);
  specs.forEach((s, i) => {
    let text = s.help;
    if (s.choices) text += ` One of: ${s.choices.join(', ')}.`;
    if (s.defaultText !== undefined) text += ` Default: ${s.defaultText}.`;
    const body = wrap(text, width - col - 2);
    const label = `  ${labels[i]}`;
    if (label.length + 2 > col) {
      lines.push(label);
      for (const b of body) lines.push(' '.repeat(col) + b);
    } else {
      lines.push(label.padEnd(col) + (body[0] ?? ''));
      for (const b of body.slice(1)) lines.push(' '.repeat(col) + b);
    }
  });
  if (footer) lines.push('', ...footer.split('\n').flatMap((l) => (l.length > width ? wrap(l, width) : [l])));
  void command;
  return lines.join('\n') + '\n';
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

function nearest(name: string, options: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(name, o);
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
