import { isUtf8 } from 'node:buffer';
import type { FastBuffer } from './node-buffer';

const TWO_32 = 4294967296;
// Buffer's methods work on any Uint8Array; calling them directly saves wrapping the input.
const { utf8Slice, readFloatLE, readDoubleLE, readBigInt64LE, readBigUInt64LE } =
  Buffer.prototype as FastBuffer;
/** Up to this many bytes, ASCII strings are built in JS (cheaper than a native call). */
const SHORT_ASCII = 16;

/** `n` ASCII bytes as a string via `String.fromCharCode` with up to 8 arguments per call. */
function ascii(b: Uint8Array, s: number, n: number): string {
  switch (n) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[s]!);
    case 2:
      return String.fromCharCode(b[s]!, b[s + 1]!);
    case 3:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    default:
      return (
        String.fromCharCode(
          b[s]!,
          b[s + 1]!,
          b[s + 2]!,
          b[s + 3]!,
          b[s + 4]!,
          b[s + 5]!,
          b[s + 6]!,
          b[s + 7]!,
        ) + ascii(b, s + 8, n - 8)
      );
  }
}

/**
 * The byte source the generated decoders read from. Values decode exactly like protobuf-es's
 * `BinaryReader` (same varint leniency, same 64-bit results), but bounds are strict: reading past
 * the input throws, and the generated code also throws when a field overruns its enclosing
 * message. Callers fall back to protobuf-es when anything throws, so strictness only ever trades
 * speed for exactness on malformed input.
 */
export class Reader {
  /** The input as given: bytes fields are subarrays of it, like protobuf-es. */
  readonly buf: Uint8Array;
  readonly len: number;
  pos = 0;
  /** Words of the last `varint64()`, two's complement int32s. */
  lo = 0;
  hi = 0;

  constructor(u8: Uint8Array) {
    this.buf = u8;
    this.len = u8.byteLength;
  }

  /** Completes a tag whose first byte (≥ 0x80) was consumed; validates it like protobuf-es. */
  tagRest(): number {
    const start = this.pos - 1;
    this.pos = start;
    const tag = this.uint32Slow();
    const n = this.pos - start;
    if (n > 5 || (n === 5 && this.buf[this.pos - 1]! > 0x0f))
      throw new Error('illegal tag: varint overflows uint32');
    return tag;
  }

  /** Throws for a tag protobuf-es rejects: field number 0 or wire type 6/7. */
  checkTag(tag: number): void {
    if (tag >>> 3 === 0 || (tag & 7) > 5) {
      throw new Error('illegal tag: field no ' + (tag >>> 3) + ' wire type ' + (tag & 7));
    }
  }

  uint32(): number {
    const b = this.buf[this.pos];
    if (b !== undefined && b < 0x80) {
      this.pos++;
      return b;
    }
    return this.uint32Slow();
  }

  /** protobuf-es's varint32read: 5 significant bytes, up to 10 read, then unsigned. */
  uint32Slow(): number {
    const buf = this.buf;
    let pos = this.pos;
    let result = 0;
    let b: number;
    for (let shift = 0; shift < 28; shift += 7) {
      b = buf[pos++]!;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return this.end(pos, result);
    }
    b = buf[pos++]!;
    result |= (b & 0x0f) << 28;
    for (let n = 5; (b & 0x80) !== 0 && n < 10; n++) b = buf[pos++]!;
    if ((b & 0x80) !== 0) throw new Error('invalid varint');
    return this.end(pos, result >>> 0);
  }

  private end(pos: number, value: number): number {
    if (pos > this.len) throw new RangeError('premature EOF');
    this.pos = pos;
    return value;
  }

  int32(): number {
    return this.uint32() | 0;
  }

  sint32(): number {
    const zz = this.uint32();
    return (zz >>> 1) ^ -(zz & 1);
  }

  /** protobuf-es's varint64read into `lo`/`hi`. */
  varint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b: number;
    for (let shift = 0; shift < 28; shift += 7) {
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return this.end64(pos, lo, hi);
    }
    b = buf[pos++]!;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x70) >> 4;
    if ((b & 0x80) === 0) return this.end64(pos, lo, hi);
    for (let shift = 3; shift <= 31; shift += 7) {
      b = buf[pos++]!;
      hi |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return this.end64(pos, lo, hi);
    }
    throw new Error('invalid varint');
  }

  private end64(pos: number, lo: number, hi: number): void {
    if (pos > this.len) throw new RangeError('premature EOF');
    this.pos = pos;
    this.lo = lo;
    this.hi = hi;
  }

  bool(): boolean {
    const b = this.buf[this.pos];
    if (b !== undefined && b < 0x80) {
      this.pos++;
      return b !== 0;
    }
    this.varint64();
    return this.lo !== 0 || this.hi !== 0;
  }

  int64(): bigint {
    const b = this.buf[this.pos];
    if (b !== undefined && b < 0x80) {
      this.pos++;
      return BigInt(b);
    }
    this.varint64();
    return signed64(this.lo, this.hi);
  }

  uint64(): bigint {
    const b = this.buf[this.pos];
    if (b !== undefined && b < 0x80) {
      this.pos++;
      return BigInt(b);
    }
    this.varint64();
    return unsigned64(this.lo, this.hi);
  }

  sint64(): bigint {
    this.varint64();
    const s = -(this.lo & 1);
    const lo = ((this.lo >>> 1) | ((this.hi & 1) << 31)) ^ s;
    const hi = (this.hi >>> 1) ^ s;
    return signed64(lo, hi);
  }

  private take(n: number): number {
    const p = this.pos;
    if (p + n > this.len) throw new RangeError('premature EOF');
    this.pos = p + n;
    return p;
  }

  fixed32(): number {
    const p = this.take(4);
    const b = this.buf;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  sfixed32(): number {
    const p = this.take(4);
    const b = this.buf;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
  }

  float(): number {
    return readFloatLE.call(this.buf, this.take(4));
  }

  double(): number {
    return readDoubleLE.call(this.buf, this.take(8));
  }

  fixed64(): bigint {
    return readBigUInt64LE.call(this.buf, this.take(8));
  }

  sfixed64(): bigint {
    return readBigInt64LE.call(this.buf, this.take(8));
  }

  /** Start of a length-delimited payload; the reader is moved past it. Returns its end. */
  delimited(): number {
    const n = this.uint32();
    const end = this.pos + n;
    if (end > this.len) throw new RangeError('premature EOF');
    return end;
  }

  bytes(): Uint8Array {
    const end = this.delimited();
    const start = this.pos;
    this.pos = end;
    return this.buf.subarray(start, end);
  }

  /**
   * A string; with `strict` (proto3 / utf8_validation VERIFY) invalid UTF-8 throws, like
   * protobuf-es's fatal TextDecoder; otherwise it becomes U+FFFD like its lenient one.
   */
  string(strict: boolean): string {
    const buf = this.buf;
    let start = this.pos;
    let n = buf[start];
    if (n !== undefined && n < 0x80) start++;
    else {
      n = this.uint32Slow();
      start = this.pos;
    }
    const end = start + n;
    if (end > this.len) throw new RangeError('premature EOF');
    this.pos = end;
    if (n <= SHORT_ASCII) {
      let bits = 0;
      for (let i = start; i < end; i++) bits |= buf[i]!;
      if (bits < 0x80) return ascii(buf, start, n);
    }
    const s = utf8Slice.call(buf, start, end);
    // Valid multi-byte sequences make the string shorter than its bytes, and invalid ones
    // become U+FFFD: a string as long as its bytes without U+FFFD is ASCII, hence valid.
    if (strict && (s.length !== n || s.includes('\uFFFD')) && !isUtf8(buf.subarray(start, end))) {
      throw new TypeError('The encoded data was not valid for encoding utf-8');
    }
    return s;
  }

  /**
   * Skips one value of an unknown field, like protobuf-es's `skip()` (groups nest at most
   * `budget` deep; an end-group tag must match).
   */
  skip(wireType: number, fieldNo: number, budget: number): void {
    switch (wireType) {
      case 0:
        while ((this.buf[this.pos++]! & 0x80) !== 0) {
          /* continuation bytes */
        }
        break;
      case 1:
        this.pos += 8;
        break;
      case 5:
        this.pos += 4;
        break;
      case 2:
        this.pos = this.delimited();
        break;
      case 3:
        if (budget <= 0) throw new Error('maximum recursion depth reached');
        for (;;) {
          const tag = this.tag();
          if ((tag & 7) === 4) {
            if (tag >>> 3 !== fieldNo) throw new Error('invalid end group tag');
            break;
          }
          this.skip(tag & 7, tag >>> 3, budget - 1);
        }
        break;
      default:
        throw new Error('cant skip wire type ' + wireType);
    }
    if (this.pos > this.len) throw new RangeError('premature EOF');
  }

  /** A validated tag (generated code inlines the one-byte case). */
  tag(): number {
    if (this.pos >= this.len) throw new RangeError('premature EOF');
    const b = this.buf[this.pos++]!;
    const tag = b < 0x80 ? b : this.tagRest();
    this.checkTag(tag);
    return tag;
  }
}

/** int64 from two's complement int32 words, without BigInt arithmetic when it fits 53 bits. */
export function signed64(lo: number, hi: number): bigint {
  if (hi >= -0x200000 && hi < 0x200000) return BigInt(hi * TWO_32 + (lo >>> 0));
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}

/** uint64 from two's complement int32 words. */
export function unsigned64(lo: number, hi: number): bigint {
  const h = hi >>> 0;
  if (h < 0x200000) return BigInt(h * TWO_32 + (lo >>> 0));
  return (BigInt(h) << 32n) | BigInt(lo >>> 0);
}
