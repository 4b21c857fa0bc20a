import { describe, expect, it } from 'vitest';
import { checkInteger, checkNumber, checkOneOf } from '../../src/util/checks.js';
import { createRandom } from '../../src/util/random.js';

describe('checks', () => {
  it('names the parameter, the value and the range', () => {
    expect(() => checkInteger('quality', 101, 1, 100)).toThrow(/quality must be an integer in 1..100, got 101/);
    expect(() => checkInteger('quality', 2.5, 1, 100)).toThrow(RangeError);
    expect(() => checkNumber('rate', Number.NaN, 0)).toThrow(/rate must be a finite number >= 0, got NaN/);
    expect(() => checkOneOf('mode', 'x', ['a', 'b'])).toThrow(/mode must be one of "a", "b", got "x"/);
    expect(checkInteger('q', 5, 1, 100)).toBe(5);
  });
});

describe('createRandom', () => {
  it('is reproducible from a seed', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
