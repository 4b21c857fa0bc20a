import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findKnee } from '../../src/noise/kneedle.js';

interface Case {
  kind: string;
  x: number[];
  y: number[];
  knee: number | null;
  S?: number;
  curve?: 'concave' | 'convex';
  direction?: 'increasing' | 'decreasing';
}

const load = (name: string): Case[] =>
  (JSON.parse(readFileSync(new URL(`../fixtures/kneedle/${name}`, import.meta.url), 'utf8')) as { cases: Case[] }).cases;

describe('findKnee agrees with kneed', () => {
  it('on the 40 shared accuracy-vs-Q curves (concave, decreasing, S = 1)', () => {
    const cases = load('curves.json');
    expect(cases).toHaveLength(40);
    const mismatches = cases.filter((c) => findKnee(c.x, c.y) !== c.knee);
    expect(mismatches.map((c) => c.kind)).toEqual([]);
    expect(cases.some((c) => c.knee === null)).toBe(true);
  });

  it('on 480 more curves: all four curve/direction variants, several S, ties, uneven x', () => {
    const cases = load('more-curves.json');
    expect(cases.length).toBeGreaterThanOrEqual(480);
    const mismatches = cases.filter(
      (c) => findKnee(c.x, c.y, { curve: c.curve, direction: c.direction, sensitivity: c.S }) !== c.knee,
    );
    expect(mismatches.map((c) => `${c.kind} ${c.curve} ${c.direction}`)).toEqual([]);
  });
});

describe('findKnee', () => {
  it('finds where a plateau starts to fall', () => {
    expect(findKnee([0, 0.25, 0.5, 0.75, 1], [0.9, 0.9, 0.88, 0.7, 0.2])).toBe(0.5);
  });

  it('returns null for flat curves and single points', () => {
    expect(findKnee([0, 1, 2, 3], [0.5, 0.5, 0.5, 0.5])).toBeNull();
    expect(findKnee([0], [1])).toBeNull();
  });

  it('rejects bad input with a message naming the parameter', () => {
    expect(() => findKnee([0, 1], [1])).toThrow(/same length/);
    expect(() => findKnee([], [])).toThrow(/empty/);
    expect(() => findKnee([0, 0], [1, 2])).toThrow(/distinct/);
    expect(() => findKnee([0, 1], [1, NaN])).toThrow(/y\[1\]/);
    expect(() => findKnee([0, 1, 2], [1, 2, 3], { curve: 'bent' as 'convex' })).toThrow(/curve/);
    expect(() => findKnee([0, 1, 2], [1, 2, 3], { sensitivity: -1 })).toThrow(/sensitivity/);
  });
});
