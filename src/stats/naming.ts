/**
 * How levels are named in sentences: "JPEG quality 20", "WebP quality 20", "64 kbps".
 */

/** What names a level: the modality and the codec. */
export interface LevelNaming {
  /** Default 'image'. */
  modality?: 'image' | 'audio';
  /** Default 'jpeg' (image) or 'mp3' (audio). Known display names: jpeg -> JPEG, webp -> WebP, mp3 -> MP3. */
  codec?: string;
}

const DISPLAY: Record<string, string> = { jpeg: 'JPEG', webp: 'WebP', mp3: 'MP3', avif: 'AVIF', png: 'PNG', opus: 'Opus', aac: 'AAC' };

/**
 * The codec's display name ("JPEG", "WebP", "MP3"; an unknown codec as given).
 *
 * @example
 * codecDisplayName({ codec: 'webp' }); // 'WebP'
 */
export function codecDisplayName(naming: LevelNaming = {}): string {
  const codec = naming.codec ?? (naming.modality === 'audio' ? 'mp3' : 'jpeg');
  return DISPLAY[codec.toLowerCase()] ?? codec;
}

/**
 * The level's full name: "JPEG quality 20" (images: the codec's quality), "64 kbps" (audio).
 *
 * @example
 * levelName(20); // 'JPEG quality 20'
 * levelName(20, { codec: 'webp' }); // 'WebP quality 20'
 * levelName(64, { modality: 'audio' }); // '64 kbps'
 */
export function levelName(level: number, naming: LevelNaming = {}): string {
  return naming.modality === 'audio' ? `${level} kbps` : `${codecDisplayName(naming)} quality ${level}`;
}

/**
 * The level's short name for tables and sentences that repeat it: "q 20", "64 kbps".
 *
 * @example
 * shortLevelName(20); // 'q 20'
 */
export function shortLevelName(level: number, naming: LevelNaming = {}): string {
  return naming.modality === 'audio' ? `${level} kbps` : `q ${level}`;
}
