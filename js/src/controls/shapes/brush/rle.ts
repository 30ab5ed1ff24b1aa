// Label Studio's brush RLE (the format of thi.ng's rle-pack, which label-studio-sdk's converter/brush.py
// decodes). A stream is a list of bytes read as bits, most significant bit first:
//
//   32 bits  count of values
//    5 bits  word size - 1            (always 8 - 1 here: one value is a byte)
//   4x4 bits run-length sizes - 1     (the sizes, in bits, a block's length field may have: 3, 4, 8, 16)
//   blocks until `count` values are out, each:
//     1 bit   1 = a run (one value repeated), 0 = literals
//     2 bits  index k of the length size
//     sizes[k] bits  length - 1
//     a run: one word; literals: `length` words
//   zero bits up to the next byte.
//
// The mask of a brush region is an RGBA image flattened row by row, the alpha channel being the mask (see
// mask.ts). Pure module: no DOM.

/** The length-field sizes (in bits) our encoder writes, as Label Studio's encoders do. */
export const RLE_SIZES: readonly [number, number, number, number] = [3, 4, 8, 16];
/** Bits per value. */
export const WORD_SIZE = 8;
/** The most values decodeRle makes unless told otherwise: an 8192 x 8192 RGBA mask (256 MiB). */
export const DEFAULT_MAX_VALUES = 2 ** 28;

const HEADER_BITS = 32 + 5 + 4 * 4;
const LONGEST = 2 ** 16; // the longest block the 16-bit length field holds

/** Appends bit fields to a byte buffer that grows by doubling. */
export class BitWriter {
  private buf: Uint8Array;
  private len = 0; // whole bytes written
  private acc = 0; // pending bits, right-aligned; fewer than 8 of them between calls
  private accBits = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(Math.max(8, capacity));
  }

  /** Writes the low `bits` bits of `value` (bits: 0 to 24). */
  write(value: number, bits: number): void {
    if (this.len + 4 > this.buf.length) this.grow();
    let acc = (this.acc << bits) | (value & ((1 << bits) - 1));
    let n = this.accBits + bits;
    while (n >= 8) {
      n -= 8;
      this.buf[this.len++] = (acc >>> n) & 0xff;
    }
    this.acc = acc & ((1 << n) - 1);
    this.accBits = n;
  }

  /** The bytes so far, the last one padded with zero bits. The writer may be used on afterwards. */
  bytes(): Uint8Array {
    const out = this.buf.slice(0, this.len + (this.accBits > 0 ? 1 : 0));
    if (this.accBits > 0) out[this.len] = (this.acc << (8 - this.accBits)) & 0xff;
    return out;
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

/**
 * Builds a stream block by block. `run` and `literal` may be mixed; the writer picks the shortest length
 * field and splits blocks longer than 65,536 values.
 */
export class RleWriter {
  private readonly out: BitWriter;
  private written = 0;
  // literals waiting to be flushed as one block (collected so consecutive singles share a header)
  private pending: Uint8Array = new Uint8Array(256);
  private pendingLen = 0;

  constructor(
    readonly count: number,
    capacity = 64,
  ) {
    if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) {
      throw new RangeError(`RLE: value count ${count} is not a 32-bit unsigned integer`);
    }
    this.out = new BitWriter(capacity);
    this.out.write(count >>> 16, 16);
    this.out.write(count & 0xffff, 16);
    this.out.write(WORD_SIZE - 1, 5);
    for (const size of RLE_SIZES) this.out.write(size - 1, 4);
  }

  /** `length` copies of `value` (0-255). */
  run(value: number, length: number): void {
    if (length <= 0) return;
    if (length === 1) {
      this.literal(value);
      return;
    }
    this.flushLiterals();
    this.written += length;
    const out = this.out;
    while (length > LONGEST) {
      out.write(0b111, 3); // run, size index 3
      out.write(LONGEST - 1, 16);
      out.write(value, 8);
      length -= LONGEST;
    }
    const [k, bits] = sizeFor(length);
    if (bits <= 13) {
      // the whole block in one field of at most 24 bits
      out.write((((0b100 | k) << bits) | (length - 1)) * 256 + (value & 0xff), 3 + bits + 8);
    } else {
      out.write(0b100 | k, 3);
      out.write(length - 1, bits);
      out.write(value, 8);
    }
  }

  /** One value that does not repeat. */
  literal(value: number): void {
    if (this.pendingLen === this.pending.length) {
      if (this.pendingLen === LONGEST) this.flushLiterals();
      else {
        const next = new Uint8Array(this.pending.length * 2);
        next.set(this.pending);
        this.pending = next;
      }
    }
    this.pending[this.pendingLen++] = value;
    this.written += 1;
  }

  /** The finished stream. Throws when the values given do not add up to `count`. */
  finish(): Uint8Array {
    this.flushLiterals();
    if (this.written !== this.count) {
      throw new Error(`RLE: ${this.written} values written, the header says ${this.count}`);
    }
    return this.out.bytes();
  }

  private flushLiterals(): void {
    const n = this.pendingLen;
    if (n === 0) return;
    const [k, bits] = sizeFor(n);
    const out = this.out;
    out.write(k, 3); // literal bit 0, then the size index
    out.write(n - 1, bits);
    const pending = this.pending;
    for (let i = 0; i < n; i++) out.write(pending[i] as number, 8);
    this.pendingLen = 0;
  }
}

function sizeFor(length: number): [number, number] {
  if (length <= 8) return [0, 3];
  if (length <= 16) return [1, 4];
  if (length <= 256) return [2, 8];
  return [3, 16];
}

/** Encodes values (bytes) into a stream, as a Uint8Array. */
export function encodeRleBytes(values: Uint8Array): Uint8Array {
  const n = values.length;
  // masks compress well; start small and let the writer grow
  const w = new RleWriter(n, Math.min(HEADER_BITS + 64 + (n >>> 4), 1 << 24));
  let i = 0;
  while (i < n) {
    const v = values[i] as number;
    let j = i + 1;
    while (j < n && values[j] === v) j++;
    if (j - i === 1) w.literal(v);
    else w.run(v, j - i);
    i = j;
  }
  return w.finish();
}

/** The bytes as a plain list (for JSON). A sized array filled in a loop: several times faster than
 * Array.from on a typed array of megabytes. */
export function byteList(bytes: Uint8Array): number[] {
  const out = new Array<number>(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] as number;
  return out;
}

/** Encodes values (bytes) into the `rle` list of a brush result: bytes 0-255. */
export function encodeRle(values: Uint8Array): number[] {
  return byteList(encodeRleBytes(values));
}

/** The parameters a stream declares in its header. */
export interface RleHeader {
  count: number;
  wordSize: number;
  rleSizes: [number, number, number, number];
}

/** Reads bit fields; throws when a field runs past the end of the input. */
class BitReader {
  pos = 0; // in bits
  readonly totalBits: number;
  private readonly src: Uint8Array; // the input and 4 zero bytes, so a field never reads out of bounds

  constructor(bytes: ArrayLike<number>) {
    this.totalBits = bytes.length * 8;
    this.src = paddedBytes(bytes);
  }

  /** The next `bits` bits (0 to 24) as an unsigned number. */
  read(bits: number): number {
    const pos = this.pos;
    if (pos + bits > this.totalBits) {
      throw new Error(
        `RLE: stream truncated: needs ${bits} more bit(s) at bit ${pos} of ${this.totalBits}`,
      );
    }
    const src = this.src;
    const byte = pos >>> 3;
    const off = pos & 7;
    // four bytes from `byte` hold the field, since off + bits <= 31
    const word =
      ((src[byte] as number) << 24) |
      ((src[byte + 1] as number) << 16) |
      ((src[byte + 2] as number) << 8) |
      (src[byte + 3] as number);
    this.pos = pos + bits;
    return bits === 0 ? 0 : (word >>> (32 - off - bits)) & ((1 << bits) - 1);
  }
}

/** A copy of the stream with 4 zero bytes after it; refuses items that are not bytes. */
function paddedBytes(src: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(src.length + 4);
  if (src instanceof Uint8Array) {
    out.set(src);
    return out;
  }
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255) {
      throw new Error(`RLE: item ${i} of the stream is ${String(b)}, not a byte (0-255)`);
    }
    out[i] = b;
  }
  return out;
}

function readHeader(input: BitReader): RleHeader {
  if (input.totalBits < HEADER_BITS) {
    throw new Error(
      `RLE: stream truncated: ${input.totalBits / 8} byte(s), the header alone needs 7`,
    );
  }
  const count = input.read(16) * 65536 + input.read(16);
  const wordSize = input.read(5) + 1;
  const rleSizes: [number, number, number, number] = [
    input.read(4) + 1,
    input.read(4) + 1,
    input.read(4) + 1,
    input.read(4) + 1,
  ];
  return { count, wordSize, rleSizes };
}

/** The header of a stream, without decoding it. */
export function readRleHeader(bytes: ArrayLike<number>): RleHeader {
  const head: number[] = [];
  for (let i = 0; i < Math.min(bytes.length, Math.ceil(HEADER_BITS / 8)); i++) head.push(bytes[i] as number);
  return readHeader(new BitReader(head));
}

/**
 * Decodes a stream into its values. Refuses, with an Error that says why: items that are not bytes, a
 * stream that ends early, a word size other than 8, a count above `maxValues` or above what a stream of
 * this length could hold, and a block that would run past the count.
 */
export function decodeRle(
  bytes: ArrayLike<number>,
  maxValues: number = DEFAULT_MAX_VALUES,
): Uint8Array {
  const input = new BitReader(bytes);
  const { count, wordSize, rleSizes } = readHeader(input);
  if (wordSize !== WORD_SIZE) {
    throw new Error(`RLE: bad word size ${wordSize} (brush masks use ${WORD_SIZE}-bit values)`);
  }
  if (count > maxValues) {
    throw new Error(`RLE: count ${count} is too large (the limit here is ${maxValues} values)`);
  }
  // no block yields more than 2^size values from 3 + size + wordSize bits: a short stream cannot
  // honestly claim a huge count, so refuse before allocating for it
  const bodyBits = input.totalBits - HEADER_BITS;
  let density = 0;
  for (const s of rleSizes) density = Math.max(density, 2 ** s / (3 + s + wordSize));
  if (count > Math.ceil(bodyBits * density)) {
    throw new Error(
      `RLE: count ${count} is more than ${bytes.length} byte(s) can encode: the stream is truncated`,
    );
  }
  const out = new Uint8Array(count);
  let i = 0;
  while (i < count) {
    const head = input.read(3); // the run bit and the size index
    const length = input.read(rleSizes[head & 3] as number) + 1;
    const end = i + length;
    if (end > count) {
      throw new Error(
        `RLE: a block of ${length} value(s) at value ${i} runs past the count ${count}`,
      );
    }
    if (head & 4) {
      out.fill(input.read(8), i, end);
      i = end;
    } else {
      for (; i < end; i++) out[i] = input.read(8);
    }
  }
  return out;
}
