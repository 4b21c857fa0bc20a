/**
 * Data sharing between worker threads, for every modality: typed arrays moved onto
 * SharedArrayBuffers (so a structured clone shares them instead of copying), and the SHA-256
 * fingerprint of a data set that keys a results file.
 */
import { createHash } from 'node:crypto';

type Typed = Exclude<ArrayBufferView, DataView>;

const isTyped = (v: unknown): v is Typed => ArrayBuffer.isView(v) && !(v instanceof DataView);

/**
 * A copy of `value` in which every typed array lives on a SharedArrayBuffer (the typed arrays of
 * one array share one buffer), other values as they are. Sending the result to worker threads
 * shares the memory: no copy per worker.
 *
 * @example
 * const shared = shareData(prepared.data); // shared.train.data.buffer is a SharedArrayBuffer
 */
export function shareData<T>(value: T): T {
  return shareValue(value) as T;
}

function shareTyped(arrays: readonly Typed[]): Typed[] {
  let bytes = 0;
  const offsets = arrays.map((a) => {
    const align = (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    bytes = Math.ceil(bytes / align) * align;
    const at = bytes;
    bytes += a.byteLength;
    return at;
  });
  const buffer = new SharedArrayBuffer(Math.max(bytes, 1));
  return arrays.map((a, i) => {
    const Ctor = a.constructor as new (buffer: SharedArrayBuffer, offset: number, length: number) => Typed;
    const out = new Ctor(buffer, offsets[i], a.byteLength / (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT);
    (out as unknown as { set(a: Typed): void }).set(a);
    return out;
  });
}

function shareValue(value: unknown): unknown {
  if (isTyped(value)) return value.buffer instanceof SharedArrayBuffer ? value : shareTyped([value])[0];
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isTyped)) return shareTyped(value as Typed[]);
    return value.map(shareValue);
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = shareValue(v);
    return out;
  }
  return value;
}

/**
 * SHA-256 (hex, first 16 characters) of any data set (its structure, numbers, strings and the
 * bytes of its typed arrays, in key order), with the train and test counts when it has
 * `{ train, test }`: the data key of a results file, so that a sweep is never resumed on other data.
 *
 * @example
 * dataFingerprint({ train, test }); // { train: 3000, test: 1000, sha256: '3f1a…' }
 */
export function dataFingerprint(data: unknown): { train: number; test: number; sha256: string } {
  const hash = createHash('sha256');
  const visit = (v: unknown): void => {
    if (isTyped(v)) {
      hash.update(`${v.constructor.name}[${v.byteLength}]`);
      hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    } else if (Array.isArray(v)) {
      hash.update(`[${v.length}`);
      v.forEach(visit);
      hash.update(']');
    } else if (typeof v === 'object' && v !== null) {
      hash.update('{');
      for (const k of Object.keys(v).sort()) {
        hash.update(`${k}:`);
        visit((v as Record<string, unknown>)[k]);
      }
      hash.update('}');
    } else hash.update(`${typeof v}:${String(v)};`);
  };
  visit(data);
  const count = (split: unknown): number => {
    if (typeof split !== 'object' || split === null) return 0;
    const s = split as { images?: unknown[]; signals?: unknown[]; count?: number };
    return s.images?.length ?? s.signals?.length ?? s.count ?? 0;
  };
  const d = (data ?? {}) as { train?: unknown; test?: unknown };
  return { train: count(d.train), test: count(d.test), sha256: hash.digest('hex').slice(0, 16) };
}
