/**
 * Argument checks shared by every public function. Each throws a `RangeError` or `TypeError`
 * whose message names the parameter, the bad value and what is allowed.
 *
 * @example
 * checkInteger('quality', 101, 1, 100); // RangeError: quality must be an integer in 1..100, got 101
 */

/** Formats a value for an error message (short, never throws). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of length ${(value as Uint8Array).length}`;
  return typeof value;
}

/** Throws unless `value` is an integer in `[min, max]`. */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/** Throws unless `value` is a finite number in `[min, max]` (bounds optional). */
export function checkNumber(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range =
      min === -Infinity && max === Infinity ? 'a finite number'
        : max === Infinity ? `a finite number >= ${min}`
          : min === -Infinity ? `a finite number <= ${max}`
            : `a finite number in [${min}, ${max}]`;
    throw new RangeError(`${name} must be ${range}, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<T extends string | number>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new RangeError(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** Throws a `RangeError` naming the first non-finite sample of `signal`. */
export function checkFiniteSamples(name: string, signal: ArrayLike<number>): void {
  for (let i = 0; i < signal.length; i++) {
    if (!Number.isFinite(signal[i])) {
      throw new RangeError(`${name} must contain only finite samples, got ${signal[i]} at index ${i}`);
    }
  }
}
