/**
 * A growable byte sink for JPEG files: marker segments are appended with {@link byte},
 * {@link word} and {@link raw}; the entropy coder (huffman-encode.ts) writes straight into the
 * buffer returned by {@link reserve}.
 * @internal
 */
export class JpegWriter {
  private buf: Uint8Array;
  private pos = 0;

  /**
   * @param capacity - Initial size in bytes (grows as needed).
   * @example
   * const w = new JpegWriter(); w.byte(0xff); w.byte(0xd8); w.bytes(); // Uint8Array [255, 216]
   */
  constructor(capacity = 4096) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /**
   * Makes room for `extra` more bytes and returns the underlying buffer; write from
   * {@link position} on, then set {@link position} past what was written. Used by the entropy
   * coder, which keeps its bit accumulator in local variables.
   */
  reserve(extra: number): Uint8Array {
    this.ensure(extra);
    return this.buf;
  }

  /** Offset of the next byte to write. */
  get position(): number {
    return this.pos;
  }

  set position(value: number) {
    this.pos = value;
  }

  /** Appends one raw byte (marker data, not stuffed). */
  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** Appends a raw big-endian 16-bit value. */
  word(value: number): void {
    this.ensure(2);
    this.buf[this.pos++] = (value >> 8) & 0xff;
    this.buf[this.pos++] = value & 0xff;
  }

  /** Appends raw bytes. */
  raw(values: ArrayLike<number>): void {
    this.ensure(values.length);
    if (values instanceof Uint8Array) {
      this.buf.set(values, this.pos);
      this.pos += values.length;
    } else {
      for (let i = 0; i < values.length; i++) this.buf[this.pos++] = values[i];
    }
  }

  /** A copy of the bytes written. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
