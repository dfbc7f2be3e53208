import {
  create,
  fromBinary,
  isFieldSet,
  toBinary,
  toJson,
  type DescMessage,
  type Message,
} from '@bufbuild/protobuf';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { AnySchema, FieldOptionsSchema, SourceCodeInfo_LocationSchema } from '@bufbuild/protobuf/wkt';
import { edgeproto, notify } from '../gen';
import { binaryCodec } from './binary-codec';
import { decodeCompiled, entryOf } from './compiled';
import { Rng, randomMessage } from './testing/random-message';
import { structuralDiff } from './testing/structural';
import { syntheticRegistry, syntheticType } from './testing/synthetic-schema';

const synthetic = syntheticRegistry();
const P2 = syntheticType(synthetic, 'codectest.p2.P2');
const E = syntheticType(synthetic, 'codectest.ed.E');

function no(desc: DescMessage, localName: string): number {
  const f = desc.fields.find((x) => x.localName === localName);
  if (f === undefined) throw new Error(`${desc.typeName} has no ${localName}`);
  return f.number;
}

/** `m` without `$unknown` anywhere (the codec drops unknown fields). */
function withoutUnknown<T>(m: T): T {
  if (typeof m === 'object' && m !== null && !(m instanceof Uint8Array)) {
    delete (m as { $unknown?: unknown }).$unknown;
    for (const v of Object.values(m)) withoutUnknown(v);
  }
  return m;
}

/** The compiled path alone decodes `bytes` exactly like protobuf-es (minus `$unknown`). */
function expectCompiledLikeProtobufEs(desc: DescMessage, bytes: Uint8Array): Message {
  const expected = withoutUnknown(fromBinary(desc, bytes));
  const decoded = decodeCompiled(entryOf(desc), bytes);
  expect(structuralDiff(decoded, expected)).toBeUndefined();
  expect(structuralDiff(binaryCodec(desc).decode(bytes), expected)).toBeUndefined();
  return decoded;
}

/** The public decoder throws exactly what protobuf-es throws. */
function expectSameError(desc: DescMessage, bytes: Uint8Array): Error {
  let want: unknown;
  try {
    fromBinary(desc, bytes);
  } catch (e) {
    want = e;
  }
  // Errors from Node internals (TextDecoder) come from another realm than jest's Error.
  expect(typeof (want as Error | undefined)?.message).toBe('string');
  expect(() => binaryCodec(desc).decode(bytes)).toThrow((want as Error).message);
  return want as Error;
}

describe('decoding hand-crafted input', () => {
  it('accepts packed and unpacked encodings of every repeated numeric field', () => {
    const unpackedNo = no(P2, 'unpacked');
    const packedNo = no(P2, 'packed');
    const w = new BinaryWriter();
    w.tag(unpackedNo, WireType.LengthDelimited).fork().int32(1).int32(-2).int32(300).join();
    w.tag(unpackedNo, WireType.Varint).int32(4);
    w.tag(packedNo, WireType.Varint).sint32(-5);
    w.tag(packedNo, WireType.LengthDelimited).fork().sint32(6).sint32(-7).join();
    w.tag(no(P2, 'rd'), WireType.Bit64).double(1.5);
    w.tag(no(P2, 'rd'), WireType.LengthDelimited).fork().double(-0).double(NaN).join();
    w.tag(no(P2, 'req'), WireType.Varint).int64(1);
    const m = expectCompiledLikeProtobufEs(P2, w.finish()) as unknown as Record<string, unknown>;
    expect(m.unpacked).toEqual([1, -2, 300, 4]);
    expect(m.packed).toEqual([-5, 6, -7]);
    expect(m.rd).toEqual([1.5, -0, NaN]);

    const e = new BinaryWriter();
    e.tag(no(E, 'expanded'), WireType.LengthDelimited).fork().int32(7).int32(8).join();
    e.tag(no(E, 'packed'), WireType.Bit64).fixed64(9n);
    expectCompiledLikeProtobufEs(E, e.finish());

    const loc = new BinaryWriter();
    loc.tag(1, WireType.Varint).int32(3).tag(1, WireType.Varint).int32(4);
    expect(expectCompiledLikeProtobufEs(SourceCodeInfo_LocationSchema, loc.finish())).toMatchObject({
      path: [3, 4],
    });
  });

  it('merges repeated occurrences of a singular message field; the last scalar wins', () => {
    const key = edgeproto.AppInstKeySchema;
    const first = toBinary(key, create(key, { appKey: { organization: 'o1', name: 'n1' } }));
    const second = toBinary(key, create(key, { appKey: { name: 'n2', version: 'v2' } }));
    const w = new BinaryWriter();
    w.tag(no(edgeproto.AppInstSchema, 'key'), WireType.LengthDelimited).bytes(first);
    w.tag(no(edgeproto.AppInstSchema, 'uri'), WireType.LengthDelimited).string('first');
    w.tag(no(edgeproto.AppInstSchema, 'key'), WireType.LengthDelimited).bytes(second);
    w.tag(no(edgeproto.AppInstSchema, 'uri'), WireType.LengthDelimited).string('second');
    const m = expectCompiledLikeProtobufEs(edgeproto.AppInstSchema, w.finish());
    expect(m).toMatchObject({
      uri: 'second',
      key: { appKey: { organization: 'o1', name: 'n2', version: 'v2' } },
    });
  });

  it('handles oneof switches, oneof message merges and map entry edge cases', () => {
    const val = edgeproto.MetricValSchema;
    const w = new BinaryWriter();
    w.tag(no(val, 'sval'), WireType.LengthDelimited).string('text');
    w.tag(no(val, 'ival'), WireType.Varint).uint64(2n ** 64n - 1n);
    expect(expectCompiledLikeProtobufEs(val, w.finish())).toMatchObject({
      value: { case: 'ival', value: 2n ** 64n - 1n },
    });

    const leaf = syntheticType(synthetic, 'codectest.p2.Leaf');
    const om = new BinaryWriter();
    om.tag(no(P2, 'om'), WireType.LengthDelimited).bytes(toBinary(leaf, create(leaf, { n: 1 } as never)));
    om.tag(no(P2, 'om'), WireType.LengthDelimited).bytes(toBinary(leaf, create(leaf, { t: 'x' } as never)));
    om.tag(no(P2, 'req'), WireType.Varint).int64(0);
    expect(expectCompiledLikeProtobufEs(P2, om.finish())).toMatchObject({
      choice: { case: 'om', value: { n: 1, t: 'x' } },
    });

    // Duplicate keys (last wins), entries without key or value, unknown fields inside entries,
    // the key "__proto__", and a message value given twice in one entry (merged).
    const info = edgeproto.NodeInfoSchema;
    const alloc = no(info, 'allocatable');
    const udec = edgeproto.Udec64Schema;
    const mw = new BinaryWriter();
    const entry = (fn: (x: BinaryWriter) => void) => {
      mw.tag(alloc, WireType.LengthDelimited).fork();
      fn(mw);
      mw.join();
    };
    entry((x) =>
      x
        .tag(1, WireType.LengthDelimited)
        .string('cpu')
        .tag(2, WireType.LengthDelimited)
        .bytes(toBinary(udec, create(udec, { whole: 1n }))),
    );
    entry((x) =>
      x
        .tag(1, WireType.LengthDelimited)
        .string('cpu')
        .tag(2, WireType.LengthDelimited)
        .bytes(toBinary(udec, create(udec, { whole: 2n }))),
    );
    entry((x) => x.tag(2, WireType.LengthDelimited).bytes(toBinary(udec, create(udec, { nanos: 5 }))));
    entry((x) => x.tag(1, WireType.LengthDelimited).string('novalue').tag(9, WireType.Varint).int32(1));
    entry((x) =>
      x
        .tag(1, WireType.LengthDelimited)
        .string('__proto__')
        .tag(2, WireType.LengthDelimited)
        .bytes(toBinary(udec, create(udec, { whole: 3n })))
        .tag(2, WireType.LengthDelimited)
        .bytes(toBinary(udec, create(udec, { nanos: 4 }))),
    );
    const m = expectCompiledLikeProtobufEs(info, mw.finish()) as unknown as {
      allocatable: Record<string, unknown>;
    };
    expect(Object.keys(m.allocatable)).toEqual(['cpu', '', 'novalue', '__proto__']);
    expect(Object.getPrototypeOf(m.allocatable)).toBe(Object.prototype);
    expect(m.allocatable.__proto__).toMatchObject({ whole: 3n, nanos: 4 });
  });

  it('reads map keys and values of every scalar kind', () => {
    const w = new BinaryWriter();
    const entry = (field: string, fn: (x: BinaryWriter) => void) => {
      w.tag(no(P2, field), WireType.LengthDelimited).fork();
      fn(w);
      w.join();
    };
    entry('mb', (x) => x.tag(1, WireType.Varint).bool(true).tag(2, WireType.LengthDelimited).string('t'));
    entry('mb', (x) => x.tag(2, WireType.LengthDelimited).string('default key'));
    entry('mi', (x) => x.tag(1, WireType.Varint).int64(-(2n ** 63n)));
    entry('mu', (x) => x.tag(1, WireType.Varint).uint32(4294967295).tag(2, WireType.Varint).int32(77));
    entry('ms', (x) => x.tag(1, WireType.Varint).sint64(-5n));
    entry('mf', (x) => x.tag(1, WireType.Bit32).fixed32(7).tag(2, WireType.Bit64).double(-0));
    entry('msf', (x) => x.tag(1, WireType.Bit64).sfixed64(-9n).tag(2, WireType.Bit32).float(Infinity));
    entry('mi32', (x) => x.tag(1, WireType.Varint).int32(-1).tag(2, WireType.Varint).sint32(-3));
    entry('mu64', (x) =>
      x
        .tag(1, WireType.Varint)
        .uint64(2n ** 64n - 1n)
        .tag(2, WireType.Bit64)
        .fixed64(1n),
    );
    w.tag(no(P2, 'req'), WireType.Varint).int64(1);
    const m = expectCompiledLikeProtobufEs(P2, w.finish()) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    expect(m.mb).toEqual({ true: 't', false: 'default key' });
    expect(Object.keys(m.mi!)).toEqual(['-9223372036854775808']);
    expect(m.mu).toEqual({ 4294967295: 77 });
  });

  it('skips unknown fields of every wire type, nested groups included, without keeping them', () => {
    const w = new BinaryWriter();
    w.tag(9000, WireType.Varint).uint64(2n ** 64n - 1n);
    w.tag(9001, WireType.Bit64).fixed64(1n);
    w.tag(9002, WireType.LengthDelimited).bytes(new Uint8Array(200));
    w.tag(9003, WireType.StartGroup).tag(1, WireType.Varint).int32(1);
    w.tag(9004, WireType.StartGroup).tag(2, WireType.Bit32).fixed32(2).tag(9004, WireType.EndGroup);
    w.tag(9003, WireType.EndGroup);
    w.tag(9005, WireType.Bit32).float(1);
    w.tag(no(edgeproto.AppInstSchema, 'uri'), WireType.LengthDelimited).string('kept');
    const bytes = w.finish();
    expect(fromBinary(edgeproto.AppInstSchema, bytes).$unknown).toHaveLength(5);
    const m = expectCompiledLikeProtobufEs(edgeproto.AppInstSchema, bytes);
    expect(m).toMatchObject({ uri: 'kept' });
    expect('$unknown' in m).toBe(false);
  });

  it('drops unknown numbers of closed enums in singular fields, keeps them in lists', () => {
    const w = new BinaryWriter();
    w.tag(no(P2, 'color'), WireType.Varint).int32(3);
    w.tag(no(P2, 'rc'), WireType.Varint).int32(3);
    w.tag(no(P2, 'oc'), WireType.Varint).int32(4);
    w.tag(no(P2, 'req'), WireType.Varint).int64(1);
    const m = expectCompiledLikeProtobufEs(P2, w.finish()) as unknown as Record<string, unknown>;
    expect(m.color).toBe(5); // the default, from the prototype
    expect(m.rc).toEqual([3]);
    expect(m.choice).toEqual({ case: undefined });
  });

  it('decodes groups (proto2 and editions DELIMITED)', () => {
    const w = new BinaryWriter();
    w.tag(no(P2, 'grp'), WireType.StartGroup)
      .tag(10, WireType.Varint)
      .int32(1)
      .tag(9999, WireType.Varint)
      .int32(5);
    w.tag(no(P2, 'grp'), WireType.EndGroup);
    w.tag(no(P2, 'grp'), WireType.StartGroup)
      .tag(11, WireType.LengthDelimited)
      .string('b')
      .tag(no(P2, 'grp'), WireType.EndGroup);
    w.tag(no(P2, 'rgrp'), WireType.StartGroup)
      .tag(13, WireType.Varint)
      .uint64(1n)
      .tag(no(P2, 'rgrp'), WireType.EndGroup);
    w.tag(no(P2, 'rgrp'), WireType.StartGroup).tag(no(P2, 'rgrp'), WireType.EndGroup);
    w.tag(no(P2, 'req'), WireType.Varint).int64(1);
    const m = expectCompiledLikeProtobufEs(P2, w.finish());
    expect(m).toMatchObject({ grp: { a: 1, b: 'b' }, rgrp: [{ c: 1n }, {}] });

    const e = new BinaryWriter();
    e.tag(no(E, 'delimited'), WireType.StartGroup);
    e.tag(no(E, 'delimited'), WireType.StartGroup).tag(no(E, 'implicit'), WireType.Varint).int32(3);
    e.tag(no(E, 'delimited'), WireType.EndGroup).tag(no(E, 'delimited'), WireType.EndGroup);
    expectCompiledLikeProtobufEs(E, e.finish());

    // A group closed by another field's end tag.
    const bad = new BinaryWriter();
    bad.tag(no(P2, 'grp'), WireType.StartGroup).tag(10, WireType.Varint).int32(1).tag(12, WireType.EndGroup);
    expectSameError(P2, bad.finish());
  });

  it('replaces invalid UTF-8 where validation is off, like protobuf-es', () => {
    for (const bad of [
      [0xc3, 0x28],
      [0xff, 0xfe],
      [...Buffer.from('a'.repeat(40)), 0xc3],
      [0xef, 0xbf, 0xbd, 0x80],
    ]) {
      const e = new Uint8Array([(no(E, 'nonutf') << 3) | 2, bad.length, ...bad]);
      expectCompiledLikeProtobufEs(E, e);
      const p = new Uint8Array([(no(P2, 's') << 3) | 2, bad.length, ...bad, (no(P2, 'req') << 3) | 0, 1]);
      expectCompiledLikeProtobufEs(P2, p);
    }
  });

  it('gives proto2 messages the prototype of create(): defaults, presence, toJson', () => {
    const options = binaryCodec(FieldOptionsSchema).decode(
      toBinary(FieldOptionsSchema, create(FieldOptionsSchema, { lazy: true })),
    );
    expect(Object.getPrototypeOf(options)).toBe(Object.getPrototypeOf(create(FieldOptionsSchema)));
    expect(options.deprecated).toBe(false);
    expect(isFieldSet(options, FieldOptionsSchema.field.lazy)).toBe(true);
    expect(isFieldSet(options, FieldOptionsSchema.field.deprecated)).toBe(false);
    expect(toJson(FieldOptionsSchema, options)).toEqual({ lazy: true });
  });

  it('returns bytes fields as views of the input, typed like it, at any byte offset', () => {
    const w = new BinaryWriter();
    w.tag(1, WireType.LengthDelimited).string('type.googleapis.com/x');
    w.tag(2, WireType.LengthDelimited).bytes(new Uint8Array([1, 2, 3]));
    const raw = w.finish();
    const padded = new Uint8Array(raw.length + 8);
    padded.set(raw, 4);
    for (const input of [raw, Buffer.from(raw), padded.subarray(4, 4 + raw.length)]) {
      const any = expectCompiledLikeProtobufEs(AnySchema, input) as unknown as { value: Uint8Array };
      expect(any.value.buffer).toBe(input.buffer);
      expect(Buffer.isBuffer(any.value)).toBe(Buffer.isBuffer(input));
    }
  });

  it('throws what protobuf-es throws for malformed input', () => {
    const appInst = edgeproto.AppInstSchema;
    const good = toBinary(appInst, create(appInst, { uri: 'abc', key: { appKey: { name: 'n' } }, state: 5 }));
    for (let cut = 1; cut < good.length; cut++) {
      const truncated = good.subarray(0, cut);
      let threw = false;
      try {
        fromBinary(appInst, truncated);
      } catch {
        threw = true;
      }
      if (threw) expectSameError(appInst, truncated);
      else
        expect(
          structuralDiff(binaryCodec(appInst).decode(truncated), fromBinary(appInst, truncated)),
        ).toBeUndefined();
    }
    const uri = no(appInst, 'uri');
    for (const bad of [
      [0xc3, 0x28],
      [0xff],
      [0xed, 0xa0, 0x80],
      [...Buffer.from('a'.repeat(40)), 0xc3, 0x28],
      [...Buffer.from('é'.repeat(20)), 0x80],
    ]) {
      expectSameError(appInst, new Uint8Array([(uri << 3) | 2, bad.length, ...bad])); // invalid UTF-8
    }
    expectSameError(appInst, new Uint8Array([0x00, 0x01])); // field number 0
    expectSameError(appInst, new Uint8Array([0x0f, 0x01])); // wire type 7
    expectSameError(appInst, new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])); // tag overflow
    const tooLong = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expectSameError(appInst, new Uint8Array([no(appInst, 'state') << 3, ...tooLong])); // varint > 10 bytes
    expectSameError(appInst, new Uint8Array([0x9c, 0x3e])); // unknown end group
    expectSameError(appInst, new Uint8Array([0x9b, 0x3e, 0x08])); // unterminated unknown group
  });

  it('accepts what protobuf-es accepts even when the compiled path is strict', () => {
    const appInst = edgeproto.AppInstSchema;
    const uri = no(appInst, 'uri');
    const state = no(appInst, 'state');
    // A known field with a wire type protobuf-es reads anyway, and a sub-message whose last
    // field runs past its declared length.
    const wrongWire = new Uint8Array([(state << 3) | 5, 1, 0, 0, 0]);
    const overrun = new Uint8Array([
      (no(appInst, 'key') << 3) | 2,
      2,
      0x0a,
      2,
      0x0a,
      0x00,
      (uri << 3) | 2,
      0,
    ]);
    const redundantTag = new Uint8Array([(uri << 3) | 2 | 0x80, 0x00, 1, 0x41]);
    // protobuf-es skips unknown varints of any length.
    const longUnknown = new Uint8Array([
      0xf8, 0x07, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ]);
    for (const bytes of [wrongWire, overrun, redundantTag, longUnknown]) {
      let want: Message | undefined;
      try {
        want = withoutUnknown(fromBinary(appInst, bytes));
      } catch {
        want = undefined;
      }
      if (want === undefined) expectSameError(appInst, bytes);
      else expect(structuralDiff(binaryCodec(appInst).decode(bytes), want)).toBeUndefined();
    }
  });

  it('enforces the recursion limit of protobuf-es', () => {
    const schema = notify.NoticeSchema;
    const batch = no(schema, 'batch');
    const nested = (depth: number): Uint8Array => {
      let body = new Uint8Array(0);
      for (let i = 1; i < depth; i++) {
        const w = new BinaryWriter();
        w.tag(batch, WireType.LengthDelimited).bytes(body);
        body = w.finish();
      }
      return body;
    };
    expectCompiledLikeProtobufEs(schema, nested(100));
    const err = expectSameError(schema, nested(101));
    expect(err.message).toContain('recursion');
  });

  it('decodes (or rejects) randomly corrupted input exactly like protobuf-es', () => {
    const types = [edgeproto.AppInstSchema, notify.NoticeSchema, edgeproto.CloudletSchema, P2, E];
    const rng = new Rng(11);
    let decoded = 0;
    for (let iter = 0; iter < 1500; iter++) {
      const desc = rng.pick(types);
      const b = Uint8Array.from(toBinary(desc, randomMessage(desc, rng, { maxDepth: 3 })));
      if (b.length === 0) continue;
      for (let k = 0; k <= rng.int(3); k++) {
        const i = rng.int(b.length);
        b[i] = rng.chance(0.5) ? rng.int(256) : b[i]! ^ (1 << rng.int(8));
      }
      const input = rng.chance(0.3) ? b.subarray(0, rng.int(b.length)) : b;
      let want: Message | undefined;
      let error: string | undefined;
      try {
        want = withoutUnknown(fromBinary(desc, input));
      } catch (e) {
        error = (e as Error).message;
      }
      if (error !== undefined) {
        expect(() => binaryCodec(desc).decode(input)).toThrow(error);
        continue;
      }
      const diff = structuralDiff(binaryCodec(desc).decode(input), want);
      if (diff !== undefined)
        throw new Error(`${desc.typeName} ${Buffer.from(input).toString('hex')}: ${diff}`);
      decoded++;
    }
    expect(decoded).toBeGreaterThan(250);
  }, 120_000);
});
