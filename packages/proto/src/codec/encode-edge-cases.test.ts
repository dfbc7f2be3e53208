import { create, fromBinary, toBinary, type DescMessage, type Message } from '@bufbuild/protobuf';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { UninterpretedOption_NamePartSchema } from '@bufbuild/protobuf/wkt';
import { edgeproto } from '../gen';
import { binaryCodec } from './binary-codec';
import { encodeCompiled, entryOf } from './compiled';
import { Bail } from './gen-encoder';
import { syntheticRegistry, syntheticType } from './testing/synthetic-schema';

const synthetic = syntheticRegistry();
const P2 = syntheticType(synthetic, 'codectest.p2.P2');
const E = syntheticType(synthetic, 'codectest.ed.E');

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The compiled encoder alone produces toBinary's bytes. */
function expectCompiled(desc: DescMessage, m: Message): string {
  const want = hex(toBinary(desc, m));
  expect(hex(encodeCompiled(entryOf(desc), m, false))).toBe(want);
  expect(hex(binaryCodec(desc).encode(m))).toBe(want);
  return want;
}

/** Whatever toBinary does with `m` (bytes or an error), the public encoder does too. */
function expectLikeToBinary(desc: DescMessage, m: unknown): void {
  let want: string | undefined;
  let error: string | undefined;
  try {
    want = hex(toBinary(desc, m as Message));
  } catch (e) {
    error = (e as Error).message;
  }
  const codec = binaryCodec(desc);
  if (error !== undefined) {
    expect(() => codec.encode(m as never)).toThrow(error);
    expect(() => codec.encodeBuffer(m as never)).toThrow(error);
  } else {
    expect(hex(codec.encode(m as never))).toBe(want);
    expect(hex(codec.encodeBuffer(m as never))).toBe(want);
  }
}

const withReq = (init: Record<string, unknown>): Message => create(P2, { req: 1n, ...init } as never);

describe('encoding edge values exactly like toBinary', () => {
  it('writes -0, NaN and infinities, skips only +0 with implicit presence', () => {
    const loc = edgeproto.AppInstSchema.fields.find((f) => f.localName === 'cloudletLoc')!.message!;
    for (const v of [0, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE]) {
      expectCompiled(loc, create(loc, { latitude: v, longitude: -v } as never));
      expectCompiled(P2, withReq({ d: v, f: Math.fround(v), rd: [v, v] }));
    }
    expectCompiled(P2, withReq({ f: 3.4028234663852886e38 }));
  });

  it('writes negative int32 as 10-byte varints and zigzags sint', () => {
    const want = expectCompiled(P2, withReq({ i32: -1, packed: [-1, 1, -2147483648, 2147483647], sf32: -5 }));
    expect(want).toContain('08ffffffffffffffffff01');
    expectCompiled(P2, withReq({ s64: -(2n ** 63n), unpacked: [-2147483648] }));
  });

  it('accepts 64-bit values as bigint, number or string like protobuf-es', () => {
    for (const v of [0, 1, -1, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER, 2 ** 60]) {
      expectLikeToBinary(P2, withReq({ s64: v, sf64: v, js: v }));
    }
    for (const v of ['0', '12', '-9223372036854775808', '0x10', ' 7 ', '']) {
      expectLikeToBinary(P2, withReq({ s64: v, sf64: v, js: v, u64: v.replace('-', '') }));
    }
    expectCompiled(P2, withReq({ js: '-123', rjs: ['1', '-2', '9223372036854775807'] }));
    const flavor = create(edgeproto.FlavorSchema, { ram: 2n ** 64n - 1n, vcpus: 0n, disk: 1n });
    expectCompiled(edgeproto.FlavorSchema, flavor);
    // Out of range: protobuf-es's error.
    expectLikeToBinary(P2, withReq({ u64: -1n }));
    expectLikeToBinary(P2, withReq({ s64: 2n ** 63n }));
    expectLikeToBinary(P2, withReq({ s64: 1.5 }));
  });

  it('encodes strings like TextEncoder: unpaired surrogates, BOM, long and multi-byte text', () => {
    const texts = [
      '\uD800',
      'a\uDC00b',
      '\uD83D\uDE00',
      '\uFEFF',
      'x'.repeat(24),
      'x'.repeat(25),
      'é'.repeat(63),
      'é'.repeat(64),
      '😀'.repeat(40),
      'y'.repeat(127),
      'y'.repeat(128),
      'z'.repeat(16384),
      '漢'.repeat(6000),
    ];
    for (const s of texts) {
      expectCompiled(edgeproto.AppInstSchema, create(edgeproto.AppInstSchema, { uri: s, errors: [s, 'x'] }));
    }
  });

  it('writes a message with unknown fields (from fromBinary) back byte for byte', () => {
    const w = new BinaryWriter();
    w.tag(4, WireType.LengthDelimited).string('uri');
    w.tag(9000, WireType.Varint).int32(-1);
    w.tag(9001, WireType.StartGroup).tag(1, WireType.Bit32).fixed32(1).tag(9001, WireType.EndGroup);
    const m = fromBinary(edgeproto.AppInstSchema, w.finish());
    expect(m.$unknown).toHaveLength(2);
    expectCompiled(edgeproto.AppInstSchema, m);
  });

  it('encodes map keys of every kind from their string form', () => {
    expectCompiled(
      P2,
      withReq({
        mb: { true: 'a', false: 'b' },
        mi: { '-9223372036854775808': { n: 1 }, 7: {} },
        mu: { 4294967295: 1, 0: 99 },
        ms: { '-1': new Uint8Array([1]) },
        mf: { 1: -0 },
        msf: { '-5': NaN },
        mi32: { '-2147483648': -1 },
        mu64: { '18446744073709551615': 2n },
        mf64: { 3: -3 },
        ms32: { '-7': 4n },
        msf32: { 0: true },
      }),
    );
    // Keys protobuf-es converts leniently (parseInt) or rejects.
    for (const mi32 of [{ '12abc': 1 }, { ' 5': 1 }, { x: 1 }, { 99999999999: 1 }])
      expectLikeToBinary(P2, withReq({ mi32 }));
    for (const mb of [{ yes: 'x' }]) expectLikeToBinary(P2, withReq({ mb }));
    for (const mi of [{ abc: {} }, { '99999999999999999999': {} }]) expectLikeToBinary(P2, withReq({ mi }));
  });

  it('encodes groups and delimited messages', () => {
    expectCompiled(
      P2,
      withReq({ grp: { a: 1, b: 'x' }, rgrp: [{ c: 5n }, {}], child: { req: 2n, grp: {} } }),
    );
    const e = create(E, {
      delimited: { implicit: 1, delimited: {} },
      rdelim: [{}, { explicit: 0 }],
    } as never);
    expectCompiled(E, e);
  });

  it('writes proto2 fields only when set on the message itself, defaults included', () => {
    expectCompiled(P2, withReq({}));
    expectCompiled(P2, withReq({ i32: -7, s: 'hi', color: 5, bo: true, u64: 2n ** 64n - 1n }));
    expectCompiled(E, create(E, { explicit: 0, implicit: 0, open: 0, istr: '' } as never));
  });

  it('leaves values of other types to protobuf-es, with its results and errors', () => {
    const AppInst = edgeproto.AppInstSchema;
    const base = () => create(AppInst, { uri: 'u' }) as unknown as Record<string, unknown>;
    const cases: Record<string, unknown>[] = [
      { ...base(), state: '2' },
      { ...base(), state: 1.5 },
      { ...base(), state: 2 ** 31 },
      { ...base(), liveness: '0' },
      { ...base(), uri: 5 },
      { ...base(), uri: undefined },
      { ...base(), forceUpdate: 1 },
      { ...base(), fields: ['a', 1] },
      { ...base(), mappedPorts: [{ internalPort: 1 }] },
      { ...base(), key: { appKey: { name: 'plain object, not a message' } } },
      { ...base(), key: null },
      { ...base(), internalPortToLbIp: undefined },
      { ...base(), internalPortToLbIp: 'ab' },
      { ...base(), fields: undefined },
      { ...base(), fields: 'ab' },
      { ...base(), $typeName: 'edgeproto.Flavor' },
      { uri: 'an init shape' },
    ];
    for (const c of cases) expectLikeToBinary(AppInst, c);
    expect(() => encodeCompiled(entryOf(AppInst), { ...base(), state: '2' }, false)).toThrow(Bail);
    expectLikeToBinary(P2, withReq({ f: 1e39 }));
    expectLikeToBinary(P2, withReq({ fx32: -1 }));
    expectLikeToBinary(P2, withReq({ by: [1, 2] }));
    // A missing required field.
    expectLikeToBinary(
      UninterpretedOption_NamePartSchema,
      create(UninterpretedOption_NamePartSchema, { namePart: 'x' }),
    );
  });

  it('recovers after a failed encode', () => {
    const codec = binaryCodec(edgeproto.AppInstSchema);
    expect(() => codec.encode({ uri: 'x', $typeName: 'edgeproto.AppInst' } as never)).toThrow();
    const ok = create(edgeproto.AppInstSchema, { uri: 'after' });
    expect(hex(codec.encode(ok))).toBe(hex(toBinary(edgeproto.AppInstSchema, ok)));
  });
});
