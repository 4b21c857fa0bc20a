/**
 * A procedurally rendered, labeled image data set with simulated sensor noise of known
 * strength: the embedded default for the image noise estimate, and a check of the method (the
 * knee must move toward stronger compression as the sensor noise grows).
 */
import type { Image } from '../image/image.js';
import { checkInteger, checkNumber, describe } from '../util/checks.js';
import { createRandom, type Random } from '../util/random.js';

/** Sensor noise in 8-bit digital numbers (DN, 0..255), both as standard deviations at mid-gray. */
export interface SensorNoise {
  /** Shot (photon) noise: signal-dependent, Poisson in photo-electrons; its standard deviation at mid-gray (127.5 DN). It grows as sqrt(signal). */
  shot: number;
  /** Read noise: signal-independent Gaussian, standard deviation in DN. */
  read: number;
}

/** Options of {@link syntheticSensorImages}. */
export interface SyntheticSensorImagesOptions {
  /** Number of images (>= 1). */
  count: number;
  /** Width and height in pixels (8..512). Default 32. */
  size?: number;
  /** 3 (RGB) or 1 (gray). Default 3. */
  channels?: 1 | 3;
  /** Number of classes, 2..12 (see {@link SYNTHETIC_IMAGE_CLASSES}). Default 10. */
  classes?: number;
  /**
   * Sensor noise. A number `n` is the total noise standard deviation at mid-gray in DN, split
   * evenly in variance between shot and read noise (`shot = read = n / sqrt(2)`); or give both
   * explicitly. Default 0 (clean).
   */
  noise?: number | SensorNoise;
  /** Seed: the same seed gives the same images everywhere. Default 0. */
  seed?: number;
}

/** Labeled images. */
export interface SyntheticImageSet {
  images: Image[];
  labels: number[];
}

/** Class names, in label order. */
export const SYNTHETIC_IMAGE_CLASSES: readonly string[] = Object.freeze([
  'disk',
  'square',
  'triangle',
  'ring',
  'cross',
  'horizontal-stripes',
  'vertical-stripes',
  'diagonal-stripes',
  'checkerboard',
  'dots',
  'antidiagonal-stripes',
  'two-disks',
]);

/** Per-image geometry: a coverage function in the image's own rotated, scaled frame. */
type Coverage = (u: number, v: number) => number;

const step = (x: number): number => (x > 0 ? 1 : 0);

function classCoverage(label: number, rand: Random, size: number): Coverage {
  // Texture period in normalized units ([-1, 1] spans the image): 4..8 pixels at any size.
  const period = (rand.uniform(4, 8) / size) * 2;
  const phase = rand.next() * period;
  const wave = (t: number): number => step(Math.sin((2 * Math.PI * (t + phase)) / period));
  switch (label) {
    case 0:
      return (u, v) => step(0.55 - Math.hypot(u, v));
    case 1:
      return (u, v) => step(0.48 - Math.max(Math.abs(u), Math.abs(v)));
    case 2: {
      // Equilateral triangle with circumradius 0.6, pointing up in its frame.
      const r = 0.6;
      return (u, v) => {
        const a = v + r / 2;
        const b = -v * 0.5 + (Math.sqrt(3) / 2) * u + r / 2;
        const c = -v * 0.5 - (Math.sqrt(3) / 2) * u + r / 2;
        return step(a) * step(b) * step(c);
      };
    }
    case 3:
      return (u, v) => {
        const d = Math.hypot(u, v);
        return step(0.6 - d) * step(d - 0.35);
      };
    case 4:
      return (u, v) =>
        Math.max(step(0.17 - Math.abs(u)) * step(0.6 - Math.abs(v)), step(0.17 - Math.abs(v)) * step(0.6 - Math.abs(u)));
    case 5:
      return (_u, v) => wave(v);
    case 6:
      return (u) => wave(u);
    case 7:
      return (u, v) => wave((u + v) / Math.SQRT2);
    case 8:
      return (u, v) => (wave(u) === wave(v) ? 1 : 0);
    case 9:
      return (u, v) => {
        const p = period * 1.5;
        const du = ((((u + phase) % p) + p) % p) - p / 2;
        const dv = ((((v + phase) % p) + p) % p) - p / 2;
        return step(p * 0.3 - Math.hypot(du, dv));
      };
    case 10:
      return (u, v) => wave((u - v) / Math.SQRT2);
    default: {
      const gap = rand.uniform(0.35, 0.5);
      return (u, v) => Math.max(step(0.28 - Math.hypot(u - gap, v)), step(0.28 - Math.hypot(u + gap, v)));
    }
  }
}

/** Poisson sample (Knuth for small means, a rounded normal above 30). */
function poisson(rand: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rand.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand.next();
  while (p > limit) {
    k++;
    p *= rand.next();
  }
  return k;
}

function resolveNoise(noise: SyntheticSensorImagesOptions['noise']): SensorNoise {
  if (noise === undefined) return { shot: 0, read: 0 };
  if (typeof noise === 'number') {
    const n = checkNumber('noise', noise, 0, 255);
    return { shot: n / Math.SQRT2, read: n / Math.SQRT2 };
  }
  if (typeof noise !== 'object' || noise === null) {
    throw new TypeError(`noise must be a number of DN or { shot, read }, got ${describe(noise)}`);
  }
  return { shot: checkNumber('noise.shot', noise.shot, 0, 255), read: checkNumber('noise.read', noise.read, 0, 255) };
}

/**
 * Renders `count` labeled images: class content (shapes: disk, square, triangle, ring, cross,
 * two disks; textures: stripes at four orientations, checkerboard, dots) at a random position,
 * scale and small rotation, with foreground and background colors, contrast, brightness and a
 * smooth illumination gradient all drawn independently of the class (so the mean color says
 * nothing about it), anti-aliased by 3 x 3 supersampling; then simulated sensor noise of known
 * strength: shot noise (Poisson in photo-electrons, variance proportional to the signal, gain set
 * so that its standard deviation at mid-gray is `noise.shot` DN) plus Gaussian read noise
 * (`noise.read` DN), rounded and clipped to 8 bits. Labels are balanced and shuffled.
 *
 * @example
 * const { images, labels } = syntheticSensorImages({ count: 1000, size: 32, noise: 8, seed: 1 });
 * // images[0]: { width: 32, height: 32, channels: 3, data: Uint8Array(3072) }; labels[0] in 0..9
 */
export function syntheticSensorImages(options: SyntheticSensorImagesOptions): SyntheticImageSet {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object { count, size, channels, classes, noise, seed }, got ${describe(options)}`);
  }
  const count = checkInteger('count', options.count, 1, 10_000_000);
  const size = checkInteger('size', options.size ?? 32, 8, 512);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new RangeError(`channels must be 1 or 3, got ${describe(channels)}`);
  const classes = checkInteger('classes', options.classes ?? 10, 2, SYNTHETIC_IMAGE_CLASSES.length);
  const noise = resolveNoise(options.noise);
  const seed = checkNumber('seed', options.seed ?? 0);
  const rand = createRandom(seed);
  const noiseRand = createRandom(seed + 0x7f4a7c15);

  const labels = rand.shuffle(Array.from({ length: count }, (_, i) => i % classes));
  // Shot noise: variance = gain * signal (DN), so sigma at 127.5 DN is noise.shot.
  const gain = noise.shot > 0 ? (noise.shot * noise.shot) / 127.5 : 0;
  const sub = 3;
  const images: Image[] = [];
  const fg = new Float64Array(3);
  const bg = new Float64Array(3);
  for (let n = 0; n < count; n++) {
    const label = labels[n];
    const coverage = classCoverage(label, rand, size);
    const isTexture = label >= 5 && label <= 10;
    const angle = rand.uniform(-0.25, 0.25);
    const scale = isTexture ? 1 : rand.uniform(0.7, 1.05);
    const cx = rand.uniform(-0.2, 0.2);
    const cy = rand.uniform(-0.2, 0.2);
    const base = rand.uniform(0.2, 0.8);
    const contrast = rand.uniform(0.12, 0.45) * (rand.next() < 0.5 ? -1 : 1);
    for (let c = 0; c < 3; c++) {
      bg[c] = base + rand.uniform(-0.15, 0.15);
      fg[c] = bg[c] + contrast + rand.uniform(-0.12, 0.12);
    }
    const gx = rand.uniform(-0.15, 0.15);
    const gy = rand.uniform(-0.15, 0.15);
    const cos = Math.cos(angle) / scale;
    const sin = Math.sin(angle) / scale;
    const data = new Uint8Array(size * size * channels);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let cover = 0;
        for (let sy = 0; sy < sub; sy++) {
          for (let sx = 0; sx < sub; sx++) {
            const px = ((x + (sx + 0.5) / sub) / size) * 2 - 1 - cx;
            const py = ((y + (sy + 0.5) / sub) / size) * 2 - 1 - cy;
            cover += coverage(cos * px + sin * py, -sin * px + cos * py);
          }
        }
        cover /= sub * sub;
        const u = (x / size) * 2 - 1;
        const v = (y / size) * 2 - 1;
        const light = 1 + gx * u + gy * v;
        const o = (y * size + x) * channels;
        for (let c = 0; c < channels; c++) {
          const lin = channels === 1 ? 0.299 * mix(bg, fg, cover, 0) + 0.587 * mix(bg, fg, cover, 1) + 0.114 * mix(bg, fg, cover, 2) : mix(bg, fg, cover, c);
          let s = Math.min(Math.max(lin * light, 0), 1) * 255;
          if (gain > 0) s = poisson(noiseRand, s / gain) * gain;
          if (noise.read > 0) s += noise.read * noiseRand.normal();
          data[o + c] = Math.min(255, Math.max(0, Math.round(s)));
        }
      }
    }
    images.push({ width: size, height: size, channels, data });
  }
  return { images, labels };
}

function mix(bg: Float64Array, fg: Float64Array, cover: number, c: number): number {
  return bg[c] + (fg[c] - bg[c]) * cover;
}
