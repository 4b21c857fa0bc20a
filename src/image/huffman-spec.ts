/**
 * A Huffman table as a DHT segment holds it (ITU T.81 B.2.4.2): the number of codes of each
 * length 1..16, then the symbols in code order. The one form the encoder (huffman-encode.ts),
 * the decoder (huffman-decode.ts, decode.ts) and the Annex K tables (annex-k.ts) share.
 */

/**
 * A Huffman table as written in a DHT segment.
 *
 * @example
 * const dc: HuffmanSpec = { counts: Uint8Array.of(0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), symbols: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) };
 */
export interface HuffmanSpec {
  /** 16 entries: `counts[i]` codes of length `i + 1`. */
  counts: Uint8Array;
  /** Symbols in code order (increasing code length), `sum(counts)` of them. */
  symbols: Uint8Array;
}
