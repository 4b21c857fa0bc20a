/**
 * The codec registry: every codec the sweep knows, by name. Adding a codec is its own file plus
 * one line here.
 *
 * @example
 * getCodec('mp3').modality; // 'audio'
 */
import { describe } from '../util/checks.js';
import type { AnyCodec, CodecName, Modality } from './codec.js';
import { jpegCodec } from './jpeg.js';
import { mp3Codec } from './mp3.js';
import { webpCodec } from './webp.js';

const registry = new Map<string, AnyCodec>([
  ['jpeg', jpegCodec],
  ['mp3', mp3Codec],
  ['webp', webpCodec],
]);

/** The default codec of each modality: JPEG for images, MP3 for audio. */
export const DEFAULT_CODECS: Readonly<Record<Modality, CodecName>> = Object.freeze({ image: 'jpeg', audio: 'mp3' });

/**
 * Names of the registered codecs, optionally of one modality.
 *
 * @example
 * codecNames('image'); // ['jpeg', 'webp']
 */
export function codecNames(modality?: Modality): string[] {
  return [...registry.values()].filter((c) => modality === undefined || c.modality === modality).map((c) => c.name);
}

/**
 * The codec registered as `name`, or a `RangeError` listing the registered ones.
 *
 * @example
 * getCodec('jpeg').levelName; // 'JPEG quality'
 */
export function getCodec(name: unknown): AnyCodec {
  const codec = typeof name === 'string' ? registry.get(name) : undefined;
  if (!codec) throw new RangeError(`codec must be one of ${codecNames().map((n) => JSON.stringify(n)).join(', ')}, got ${describe(name)}`);
  return codec;
}

/**
 * Registers a codec under its name (a codec file may call this; the built-ins are listed above).
 * Throws when the name is taken.
 *
 * @example
 * registerCodec(myCodec);
 */
export function registerCodec(codec: AnyCodec): void {
  if (registry.has(codec.name)) throw new RangeError(`codec ${JSON.stringify(codec.name)} is already registered`);
  registry.set(codec.name, codec);
}
