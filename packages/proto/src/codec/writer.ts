import type { FastBuffer } from './node-buffer';

/**
 * The byte sink the generated encoders write into, in one pass.
 *
 * Messages are written into a slab of memory. `finish()` copies the result out into a buffer of
 * its own (like protobuf-es's `toBinary`), and the slab space is reused. `finishBuffer()` hands
 * out a view of the slab instead, the way Node pools small Buffers (`Buffer.allocUnsafe`):
 * neither an allocation nor a copy, but the view keeps its slab alive, so it suits bytes that are
 * written out and dropped (grpc-js copies them into its frame at once). A message that outgrows
 * the slab moves to a larger buffer. Encoding is synchronous, so one writer serves every call.
 *
 * Length-delimited payloads (sub-messages, packed lists, map entries) reserve one byte for their
 * length prefix and are shifted in `join()` when the payload needs more, like protobuf-es's
 * `BinaryWriter`; the output is the canonical (minimal) encoding either way.
 */

/** Slab size; `finishBuffer()` results keep their slab alive, like pooled Buffers keep Node's pool. */
const SLAB = 16 * 1024;
/** A new slab starts when less than this is left, so that most messages fit without moving. */
const MIN_FREE = 2048;
/** Longest string written by the JS loop; longer ones are cheaper through one native call. */
const SHORT_STRING = 24;

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

function slab(size: number): FastBuffer {
  return Buffer.allocUnsafeSlow(size) as FastBuffer;
}

export class Writer {
  buf: FastBuffer;
  view: DataView;
  /** Where the current message starts in `buf`. */
  start = 0;
  pos = 0;

  constructor() {
    this.buf = slab(SLAB);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Starts a new message (discarding a partial one). */
  reset(): void {
    if (this.buf.length - this.start < MIN_FREE) this.replace(slab(SLAB), 0);
    this.pos = this.start;
  }

  /** The message written since `reset()`, copied into a Uint8Array of its own. */
  finish(): Uint8Array {
    const out = new Uint8Array(
      new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.start, this.pos - this.start),
    );
    if (this.buf.length > SLAB) this.next();
    else this.pos = this.start;
    return out;
  }

  /** The message written since `reset()` as a Buffer viewing the slab (see above). */
  finishBuffer(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.next();
    return out;
  }

  /** Moves past the finished message (8-byte aligned, like Node's pool). */
  private next(): void {
    if (this.buf.length > SLAB) {
      // A message that outgrew the slab owns its buffer; the next one starts a fresh slab.
      this.replace(slab(SLAB), 0);
    } else {
      this.start = (this.pos + 7) & ~7;
    }
    this.pos = this.start;
  }

  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  /**
   * Moves the current message to a larger buffer at the same offsets, so positions recorded by
   * pending `fork()`s stay valid.
   */
  private grow(n: number): void {
    let size = Math.max(SLAB, this.buf.length) * 2;
    while (size < this.pos + n) size *= 2;
    const next = slab(size);
    this.buf.copy(next, this.start, this.start, this.pos);
    this.replace(next, this.start);
  }

  private replace(buf: FastBuffer, start: number): void {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.start = start;
  }

  /** A tag (any uint32 varint; generated code passes precomputed constants). */
  tag(t: number): void {
    this.ensure(5);
    const buf = this.buf;
    while (t > 0x7f) {
      buf[this.pos++] = (t & 0x7f) | 0x80;
      t >>>= 7;
    }
    buf[this.pos++] = t;
  }

  /** Tag + string (one call for the most common field). */
  tagString(t: number, s: string): void {
    this.tag(t);
    this.string(s);
  }

  tagInt32(t: number, v: number): void {
    this.tag(t);
    this.int32(v);
  }

  tagUint32(t: number, v: number): void {
    this.tag(t);
    this.uint32(v);
  }

  tagBool(t: number, v: boolean): void {
    this.ensure(6);
    this.tag(t);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  /** Tag + `fork()`. */
  tagFork(t: number): number {
    this.tag(t);
    return this.fork();
  }

  /** An unsigned 32-bit varint; `v` is a valid uint32. */
  uint32(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    while (v > 0x7f) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v;
  }

  /** A signed 32-bit varint; negative values sign-extend to 10 bytes. `v` is a valid int32. */
  int32(v: number): void {
    if (v >= 0) {
      this.uint32(v);
      return;
    }
    this.ensure(10);
    const buf = this.buf;
    for (let i = 0; i < 9; i++) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>= 7;
    }
    buf[this.pos++] = 1;
  }

  sint32(v: number): void {
    this.uint32(((v << 1) ^ (v >> 31)) >>> 0);
  }

  bool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  float(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
  }

  fixed32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  sfixed32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }

  /** A 64-bit varint from two's complement words. */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo > 0x7f) {
      buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[this.pos++] = lo;
  }

  /** int64 as a varint; `v` is in int64 range. */
  int64(v: bigint): void {
    if (v >= -0x80000000n && v <= 0x7fffffffn) {
      this.int32(Number(v));
      return;
    }
    this.varint64(Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn));
  }

  /** uint64 as a varint; `v` is in uint64 range. */
  uint64(v: bigint): void {
    if (v <= 0xffffffffn) {
      this.uint32(Number(v));
      return;
    }
    this.varint64(Number(v & 0xffffffffn), Number(v >> 32n));
  }

  /** sint64 (zigzag) as a varint; `v` is in int64 range. */
  sint64(v: bigint): void {
    if (v >= -0x40000000n && v < 0x40000000n) {
      this.sint32(Number(v));
      return;
    }
    const zz = v >= 0n ? v << 1n : (-v << 1n) - 1n;
    this.varint64(Number(zz & 0xffffffffn), Number(zz >> 32n));
  }

  /** fixed64/sfixed64 from two's complement words. */
  fixed64(lo: number, hi: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, lo >>> 0, true);
    this.view.setUint32(this.pos + 4, hi >>> 0, true);
    this.pos += 8;
  }

  /** sfixed64/fixed64 from a bigint already range-checked for its type. */
  fixed64Big(v: bigint): void {
    this.fixed64(Number(v & 0xffffffffn), Number((v >> 32n) & 0xffffffffn));
  }

  /** Length-prefixed UTF-8; unpaired surrogates become U+FFFD like TextEncoder. */
  string(s: string): void {
    const len = s.length;
    if (len > SHORT_STRING) {
      this.nativeString(s);
      return;
    }
    this.ensure(len * 3 + 1);
    const buf = this.buf;
    const start = this.pos + 1;
    let bits = 0;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      bits |= c;
      buf[start + i] = c;
    }
    if (bits >= 0x80) {
      this.nativeString(s);
      return;
    }
    buf[start - 1] = len;
    this.pos = start + len;
  }

  /**
   * A string through Node's UTF-8 encoder: written after a length prefix sized for its
   * shortest possible encoding, then shifted if the prefix turns out to need more bytes.
   */
  private nativeString(s: string): void {
    const len = s.length;
    this.ensure(len * 3 + 5);
    const buf = this.buf;
    const start = this.pos;
    const guess = varintSize(len);
    const n = buf.utf8Write(s, start + guess);
    const size = varintSize(n);
    if (size !== guess) buf.copyWithin(start + size, start + guess, start + guess + n);
    this.uint32(n);
    this.pos += n;
  }

  bytes(v: Uint8Array): void {
    const n = v.byteLength;
    this.uint32(n);
    this.ensure(n);
    this.buf.set(v, this.pos);
    this.pos += n;
  }

  /** Raw bytes without a length prefix (unknown fields). */
  raw(v: Uint8Array): void {
    this.ensure(v.byteLength);
    this.buf.set(v, this.pos);
    this.pos += v.byteLength;
  }

  /** Reserves a 1-byte length prefix; returns its position for `join()`. */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Writes the length of everything since `fork()` returned `at`, widening the prefix if needed. */
  join(at: number): void {
    const len = this.pos - at - 1;
    if (len < 0x80) {
      this.buf[at] = len;
      return;
    }
    const extra = varintSize(len) - 1;
    this.ensure(extra);
    const buf = this.buf;
    buf.copyWithin(at + 1 + extra, at + 1, this.pos);
    let v = len;
    let p = at;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p] = v;
    this.pos += extra;
  }
}
