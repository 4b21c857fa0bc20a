import { describe, expect, it } from 'vitest';
import { encodeJpeg, type ChromaSubsampling } from '../../src/image/index.js';
import { loadJpegFixtures, readJpegFixtureFile, sha256, type FixtureSubsampling } from './jpeg-fixtures.js';

/** Pillow was given no `subsampling` for gray inputs (mode L). */
const optionsOf = (s: FixtureSubsampling): { subsampling?: ChromaSubsampling } => (s === 'gray' ? {} : { subsampling: s });

/** Splits a JPEG file into its marker segments up to SOS: [marker, segment bytes without length]. */
function segments(bytes: Uint8Array): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  let i = 2;
  while (i < bytes.length) {
    const marker = bytes[i + 1];
    const len = (bytes[i + 2] << 8) | bytes[i + 3];
    out.push([marker, bytes.subarray(i + 4, i + 2 + len)]);
    if (marker === 0xda) break;
    i += 2 + len;
  }
  return out;
}

describe('encodeJpeg: byte identity with Pillow 9.4 (libjpeg-turbo 2.1.5)', () => {
  const { images, cases, debug } = loadJpegFixtures();

  it('matches every golden case (all inputs and qualities 1..100, every size up to 24x24, 4:2:0 / 4:2:2 / 4:4:4 / gray)', () => {
    expect(cases.length).toBe(6904);
    const failures: string[] = [];
    for (const c of cases) {
      const bytes = encodeJpeg(images.get(c.input)!, c.quality, optionsOf(c.subsampling));
      if (bytes.length !== c.jpegLength || sha256(bytes) !== c.jpegSha256) {
        failures.push(`${c.input} q${c.quality} ${c.subsampling}: ${bytes.length} bytes, Pillow ${c.jpegLength}`);
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('reproduces the whole debug files byte for byte', () => {
    for (const d of debug) {
      const ref = readJpegFixtureFile(d.file);
      const ours = encodeJpeg(images.get(d.input)!, d.quality, optionsOf(d.subsampling));
      expect(Buffer.from(ours).equals(Buffer.from(ref)), d.file).toBe(true);
    }
  });

  it('writes SOI, APP0 JFIF, 2 DQT, SOF0, 4 DHT, SOS for RGB and 1 DQT, 2 DHT for gray', () => {
    const rgb = encodeJpeg(images.get('coffee-33x31')!, 75);
    expect([rgb[0], rgb[1]]).toEqual([0xff, 0xd8]);
    expect([rgb[rgb.length - 2], rgb[rgb.length - 1]]).toEqual([0xff, 0xd9]);
    const seg = segments(rgb);
    expect(seg.map(([m]) => m)).toEqual([0xe0, 0xdb, 0xdb, 0xc0, 0xc4, 0xc4, 0xc4, 0xc4, 0xda]);
    expect(Array.from(seg[0][1])).toEqual([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    // SOF0: precision 8, height 31, width 33, 3 components, Y 2x2 table 0, Cb/Cr 1x1 table 1
    expect(Array.from(seg[3][1])).toEqual([8, 0, 31, 0, 33, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    expect(Array.from(seg[8][1])).toEqual([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);
    const gray = encodeJpeg(images.get('camera-13x7')!, 50);
    expect(segments(gray).map(([m]) => m)).toEqual([0xe0, 0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
  });

  it('writes the sampling factors of each subsampling', () => {
    const img = images.get('chelsea-17x9')!;
    const sof = (s: ChromaSubsampling) => segments(encodeJpeg(img, 50, { subsampling: s })).find(([m]) => m === 0xc0)![1];
    expect(sof('4:2:0')[7]).toBe(0x22);
    expect(sof('4:2:2')[7]).toBe(0x21);
    expect(sof('4:4:4')[7]).toBe(0x11);
  });

  it('writes the sampling factors of an explicit subsampling for grayscale, as Pillow does for mode L', () => {
    const { grayWithSubsampling } = loadJpegFixtures();
    expect(grayWithSubsampling.length).toBe(45);
    for (const c of grayWithSubsampling) {
      const bytes = encodeJpeg(images.get(c.input)!, c.quality, { subsampling: c.subsampling as ChromaSubsampling });
      expect(sha256(bytes), `${c.input} q${c.quality} ${c.subsampling}`).toBe(c.jpegSha256);
    }
    const img = images.get('camera-40x24')!;
    const plain = encodeJpeg(img, 60);
    expect(encodeJpeg(img, 60, { subsampling: '4:4:4' })).toEqual(plain);
    const sof = segments(encodeJpeg(img, 60, { subsampling: '4:2:0' })).find(([m]) => m === 0xc0)![1];
    expect(Array.from(sof)).toEqual([8, 0, 24, 0, 40, 1, 1, 0x22, 0]);
    // nothing but that byte changes
    const b = encodeJpeg(img, 60, { subsampling: '4:2:2' });
    expect(Array.from(b).filter((v, i) => v !== plain[i]).length).toBe(1);
  });

  it('rejects bad quality, options and images with a named error', () => {
    const img = images.get('astronaut-1x1')!;
    expect(() => encodeJpeg(img, 0)).toThrow(RangeError);
    expect(() => encodeJpeg(img, 101)).toThrow(/quality/);
    expect(() => encodeJpeg(img, 50.5)).toThrow(/quality must be an integer in 1\.\.100, got 50\.5/);
    expect(() => encodeJpeg(img, '50' as unknown as number)).toThrow(RangeError);
    expect(() => encodeJpeg(img, 50, { subsampling: '4:1:1' as ChromaSubsampling })).toThrow(/options\.subsampling/);
    expect(() => encodeJpeg({ ...img, data: new Uint8Array(2) }, 50)).toThrow(/data length/);
    expect(() => encodeJpeg({ ...img, channels: 2 as 3 }, 50)).toThrow(/channels/);
    expect(() => encodeJpeg(null as never, 50)).toThrow(TypeError);
  });
});
