/**
 * Copies chosen rows of a JS byte matrix one after another into the wasm memory, for kernels that
 * read them there. Four bytes at a time through Int32Array views when the offsets allow it (the view
 * of the source's buffer is made once and kept), so a warm copy allocates nothing; `subarray` + `set`
 * would be faster per row but allocates a view per row.
 */
export class RowGather {
  private readonly bytes: Uint8Array;
  private readonly words: Int32Array;
  private source: ArrayBufferLike | null = null;
  private sourceWords: Int32Array | null = null;

  constructor(memory: ArrayBufferLike) {
    this.bytes = new Uint8Array(memory);
    this.words = new Int32Array(memory);
  }

  /** Rows `rows` (each `dim` bytes) of `src` to bytes at..at + rows.length·dim of the wasm memory. */
  copy(src: Uint8Array, rows: Int32Array, dim: number, at: number): void {
    const n = rows.length;
    if (dim % 4 === 0 && src.byteOffset % 4 === 0 && at % 4 === 0) {
      const from = this.wordsOf(src.buffer);
      const base = src.byteOffset >> 2;
      const width = dim >> 2;
      const to = this.words;
      const quads = width & ~3;
      for (let r = 0; r < n; r++) {
        const s = base + rows[r] * width;
        const d = (at >> 2) + r * width;
        // Unrolled: the loop overhead and bounds checks are most of the cost of a word copy.
        let j = 0;
        for (; j < quads; j += 4) {
          to[d + j] = from[s + j];
          to[d + j + 1] = from[s + j + 1];
          to[d + j + 2] = from[s + j + 2];
          to[d + j + 3] = from[s + j + 3];
        }
        for (; j < width; j++) to[d + j] = from[s + j];
      }
      return;
    }
    const to = this.bytes;
    for (let r = 0; r < n; r++) {
      const s = rows[r] * dim;
      const d = at + r * dim;
      for (let j = 0; j < dim; j++) to[d + j] = src[s + j];
    }
  }

  private wordsOf(buffer: ArrayBufferLike): Int32Array {
    if (buffer !== this.source || this.sourceWords === null) {
      this.sourceWords = new Int32Array(buffer, 0, buffer.byteLength >> 2);
      this.source = buffer;
    }
    return this.sourceWords;
  }
}
