import { describe, expect, it } from "vitest";
import { rng } from "./rng";
import {
  DEFAULT_MAX_VALUES,
  RleWriter,
  decodeRle,
  encodeRle,
  encodeRleBytes,
  readRleHeader,
} from "../src/controls/shapes/brush/rle";

/** Bytes from a string of bits ("0101 1100 ..."; spaces ignored), padded with zeros to a byte. */
function bits(s: string): number[] {
  const b = s.replace(/\s+/g, "");
  const out: number[] = [];
  for (let i = 0; i < b.length; i += 8) out.push(parseInt(b.slice(i, i + 8).padEnd(8, "0"), 2));
  return out;
}

const word = (v: number, n: number): string => v.toString(2).padStart(n, "0");
/** The header our encoder writes: count, word size 8, sizes 3, 4, 8, 16. */
const header = (count: number): string => word(count, 32) + "00111" + "0010" + "0011" + "0111" + "1111";

/** The first index where two byte arrays differ, or -1 (vitest's deep equality is slow on big arrays). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function roundTrip(values: Uint8Array): number[] {
  const rle = encodeRle(values);
  expect(rle.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)).toBe(true);
  expect(firstDifference(decodeRle(rle), values)).toBe(-1);
  return rle;
}

function runs(...parts: [value: number, length: number][]): Uint8Array {
  const total = parts.reduce((n, [, len]) => n + len, 0);
  const out = new Uint8Array(total);
  let i = 0;
  for (const [v, len] of parts) {
    out.fill(v, i, i + len);
    i += len;
  }
  return out;
}

describe("the bit layout (Label Studio C.6)", () => {
  it("writes the header: 32-bit count, word size - 1 = 7, sizes - 1 for [3, 4, 8, 16]", () => {
    expect(encodeRle(new Uint8Array(0))).toEqual(bits(header(0)));
    expect(readRleHeader(encodeRle(new Uint8Array(5)))).toEqual({
      count: 5,
      wordSize: 8,
      rleSizes: [3, 4, 8, 16],
    });
    // the count is unsigned 32-bit, big-endian
    expect(readRleHeader(bits(header(0xfedcba98))).count).toBe(0xfedcba98);
  });

  it("writes a run as 1, the size index, length - 1 and the value", () => {
    expect(encodeRle(runs([7, 3]))).toEqual(bits(header(3) + "1 00 010 00000111"));
    expect(encodeRle(runs([7, 8]))).toEqual(bits(header(8) + "1 00 111 00000111"));
    expect(encodeRle(runs([9, 9]))).toEqual(bits(header(9) + "1 01 1000 00001001"));
    expect(encodeRle(runs([9, 16]))).toEqual(bits(header(16) + "1 01 1111 00001001"));
    expect(encodeRle(runs([1, 17]))).toEqual(bits(header(17) + "1 10 00010000 00000001"));
    expect(encodeRle(runs([1, 256]))).toEqual(bits(header(256) + "1 10 11111111 00000001"));
    expect(encodeRle(runs([255, 257]))).toEqual(
      bits(header(257) + "1 11 0000000100000000 11111111"),
    );
    expect(encodeRle(runs([255, 65536]))).toEqual(
      bits(header(65536) + "1 11 1111111111111111 11111111"),
    );
  });

  it("splits a run longer than 65,536 values", () => {
    expect(encodeRle(runs([0, 65537]))).toEqual(
      bits(header(65537) + "1 11 1111111111111111 00000000" + "1 00 000 00000000"),
    );
    expect(encodeRle(runs([3, 65536 * 2 + 5]))).toEqual(
      bits(
        header(65536 * 2 + 5) +
          "1 11 1111111111111111 00000011".repeat(2) +
          "1 00 100 00000011",
      ),
    );
  });

  it("writes values that do not repeat as one literal block", () => {
    expect(encodeRle(new Uint8Array([1]))).toEqual(bits(header(1) + "0 00 000 00000001"));
    expect(encodeRle(new Uint8Array([1, 2, 3]))).toEqual(
      bits(header(3) + "0 00 010 00000001 00000010 00000011"),
    );
    // literals, a run, literals
    expect(encodeRle(new Uint8Array([1, 2, 5, 5, 5, 3]))).toEqual(
      bits(header(6) + "0 00 001 00000001 00000010" + "1 00 010 00000101" + "0 00 000 00000011"),
    );
  });
});

describe("round trips", () => {
  it("empty, one value, every byte value", () => {
    roundTrip(new Uint8Array(0));
    roundTrip(new Uint8Array([0]));
    roundTrip(new Uint8Array([255]));
    roundTrip(Uint8Array.from({ length: 256 }, (_, i) => i));
    roundTrip(Uint8Array.from({ length: 256 }, (_, i) => 255 - i));
  });

  it.each([1, 2, 7, 8, 9, 15, 16, 17, 255, 256, 257, 65535, 65536, 65537, 131072, 131073, 200_003])(
    "a run of %i values, alone and between other values",
    (n) => {
      roundTrip(runs([42, n]));
      roundTrip(runs([1, 1], [42, n], [2, 1]));
      roundTrip(runs([0, n], [255, n], [0, n]));
    },
  );

  it("literal blocks of every size class, and longer than 65,536", () => {
    for (const n of [1, 8, 9, 16, 17, 256, 257, 65536, 65537, 70_000]) {
      roundTrip(Uint8Array.from({ length: n }, (_, i) => i % 2));
    }
  });

  it("random values, random runs, random masks", () => {
    const r = rng(1);
    for (let t = 0; t < 40; t++) {
      const n = Math.floor(r() * 5000);
      roundTrip(Uint8Array.from({ length: n }, () => Math.floor(r() * 256)));
      const parts: [number, number][] = [];
      let left = n;
      while (left > 0) {
        const len = Math.min(left, 1 + Math.floor(r() ** 3 * 70_000));
        parts.push([Math.floor(r() * 4) * 85, len]);
        left -= len;
      }
      roundTrip(runs(...parts));
      roundTrip(Uint8Array.from({ length: n * 4 }, (_, i) => ((i >> 2) % 7 === 0 ? 255 : 0)));
    }
  });

  it("encodeRleBytes gives the same bytes as encodeRle", () => {
    const v = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) % 3);
    expect(Array.from(encodeRleBytes(v))).toEqual(encodeRle(v));
  });

  it("decodes a Uint8Array and a plain list alike, and ignores bytes after the last value", () => {
    const v = runs([5, 100], [6, 3]);
    const rle = encodeRle(v);
    expect(decodeRle(Uint8Array.from(rle))).toEqual(v);
    // label-studio-sdk's encoder adds a whole zero byte when the stream already ends on one
    expect(decodeRle([...rle, 0])).toEqual(v);
  });

  it("decodes streams with other length sizes than ours", () => {
    // sizes [1, 2, 5, 12]: a run of 2 (size index 0, 1 bit) and 3 literals (index 1, 2 bits)
    const s = word(5, 32) + "00111" + "0000" + "0001" + "0100" + "1011";
    const body = "1 00 1 00001111" + "0 01 10 00000001 00000010 00000011";
    expect(Array.from(decodeRle(bits(s + body)))).toEqual([15, 15, 1, 2, 3]);
  });

  it("encodes 16 million values (a 2000x2000 mask) and reads them back", () => {
    // speed is measured in benchmarks/bench_brush.py, never asserted here
    const values = new Uint8Array(16_000_000);
    for (let i = 0; i < values.length; i += 4 * 997) values.fill(255, i, i + 4 * 300);
    const rle = encodeRleBytes(values);
    expect(firstDifference(decodeRle(rle), values)).toBe(-1);
  });
});

describe("malformed streams are refused with a reason", () => {
  const good = encodeRle(runs([1, 10], [2, 300], [3, 1]));

  it("too short for the header", () => {
    expect(() => decodeRle([])).toThrow(/truncated/);
    expect(() => decodeRle(good.slice(0, 6))).toThrow(/truncated.*header/);
  });

  it("ending inside a block", () => {
    for (let cut = 7; cut < good.length; cut++) {
      expect(() => decodeRle(good.slice(0, cut))).toThrow(/truncated/);
    }
  });

  it("a count the stream cannot hold, before allocating for it", () => {
    // 0xffffffff values claimed by a 9-byte stream: refused at once, no 4 GB array
    const huge = bits(header(0xffffffff) + "1 11 1111111111111111 00000000");
    expect(() => decodeRle(huge, 2 ** 33)).toThrow(/more than 10 byte\(s\) can encode/);
    expect(() => decodeRle(huge)).toThrow(/too large/);
  });

  it("a count above the limit given", () => {
    expect(() => decodeRle(good, 310)).toThrow(/count 311 is too large.*310/);
    expect(decodeRle(good, 311)).toHaveLength(311);
    expect(DEFAULT_MAX_VALUES).toBe(2 ** 28);
  });

  it("a word size other than 8", () => {
    const s = word(1, 32) + "01111" + "0010" + "0011" + "0111" + "1111" + "0 00 000 0000000000000001";
    expect(() => decodeRle(bits(s))).toThrow(/bad word size 16/);
  });

  it("a block that runs past the count", () => {
    expect(() => decodeRle(bits(header(3) + "1 00 011 00000001"))).toThrow(
      /block of 4 value\(s\) at value 0 runs past the count 3/,
    );
    expect(() => decodeRle(bits(header(2) + "0 00 010 00000001 00000010 00000011"))).toThrow(
      /runs past/,
    );
  });

  it("items that are not bytes", () => {
    for (const bad of [256, -1, 1.5, Number.NaN]) {
      const list = [...good];
      list[8] = bad;
      expect(() => decodeRle(list)).toThrow(/item 8 .* not a byte/);
    }
  });
});

describe("RleWriter", () => {
  it("refuses to finish when the values do not add up to the count", () => {
    const w = new RleWriter(10);
    w.run(1, 9);
    expect(() => w.finish()).toThrow(/9 values written, the header says 10/);
  });

  it("refuses a count that is not 32-bit", () => {
    expect(() => new RleWriter(2 ** 32)).toThrow(RangeError);
    expect(() => new RleWriter(-1)).toThrow(RangeError);
  });

  it("mixes runs and literals", () => {
    const w = new RleWriter(8);
    w.literal(1);
    w.run(2, 1);
    w.run(3, 5);
    w.literal(4);
    expect(Array.from(decodeRle(w.finish()))).toEqual([1, 2, 3, 3, 3, 3, 3, 4]);
  });
});
