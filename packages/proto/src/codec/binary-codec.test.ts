import {
  create,
  createRegistry,
  equals,
  fromBinary,
  isMessage,
  toBinary,
  toJson,
  type DescMessage,
  type Message,
  type Registry,
} from '@bufbuild/protobuf';
import type * as Protobuf from '@bufbuild/protobuf';
import type * as Gen from '../gen';
import { allFiles } from '../gen';
import type * as Codec from './binary-codec';
import { binaryCodec, decodeWith, encodeWith } from './binary-codec';
import { decodeCompiled, encodeCompiled, entryOf } from './compiled';
import { genDecoder } from './gen-decoder';
import { genEncoder } from './gen-encoder';
import { Rng, randomMessage } from './testing/random-message';
import { allMessageTypes } from './testing/schema-types';
import { structuralDiff } from './testing/structural';
import { syntheticRegistry } from './testing/synthetic-schema';

const MESSAGES_PER_TYPE = 25;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function jsonOf(desc: DescMessage, m: Message, registry: Registry): string {
  try {
    return JSON.stringify(toJson(desc, m, { registry }));
  } catch (e) {
    // Any with a type URL outside the registry: both sides must fail the same way.
    return `error: ${(e as Error).message}`;
  }
}

/** protobuf-es's equals() treats NaN as unequal to itself; only hold us to what it holds itself to. */
function equalsLikeProtobufEs(desc: DescMessage, a: Message, b: Message, bytes: Uint8Array): boolean {
  return equals(desc, a, b) || !equals(desc, a, fromBinary(desc, bytes));
}

/**
 * Random messages of a type: encoding is byte-identical to toBinary, decoding is
 * indistinguishable from fromBinary (structure, prototypes, key order, equals, toJson). The
 * compiled paths are called directly, so a silent fallback to protobuf-es cannot hide a bug.
 */
function checkType(desc: DescMessage, registry: Registry, seed: number): void {
  const rng = new Rng(seed);
  const entry = entryOf(desc);
  // Generation must succeed (a failure would silently leave the type to protobuf-es).
  expect(() => genEncoder(desc, entryOf)).not.toThrow();
  expect(() => genDecoder(desc, entryOf)).not.toThrow();
  for (let i = 0; i < MESSAGES_PER_TYPE; i++) {
    const message = randomMessage(desc, rng, { density: i === 0 ? 0 : i % 5 === 0 ? 1 : 0.6 });
    const want = toBinary(desc, message);
    const got = encodeCompiled(entry, message, false);
    if (hex(got) !== hex(want))
      throw new Error(`${desc.typeName} #${i}: encode\n got ${hex(got)}\nwant ${hex(want)}`);

    const expected = fromBinary(desc, want);
    // The codec drops unknown fields; protobuf-es keeps closed enums' unknown numbers there.
    delete (expected as { $unknown?: unknown }).$unknown;
    const decoded = decodeCompiled(entry, want);
    const diff = structuralDiff(decoded, expected);
    if (diff !== undefined) throw new Error(`${desc.typeName} #${i}: decode differs at ${diff}`);
    expect(isMessage(decoded, desc)).toBe(true);
    expect(equalsLikeProtobufEs(desc, decoded, expected, want)).toBe(true);
    expect(jsonOf(desc, decoded, registry)).toBe(jsonOf(desc, expected, registry));
    // Re-encoding what we decoded gives the same bytes.
    expect(hex(encodeCompiled(entry, decoded, false))).toBe(hex(want));
  }
}

describe('binaryCodec conformance with protobuf-es', () => {
  const registry = createRegistry(...allFiles);
  const types = allMessageTypes(allFiles);

  it('covers every message type of the schema, its imports included', () => {
    const names = types.map((t) => t.typeName);
    expect(names).toEqual(
      expect.arrayContaining([
        'edgeproto.AppInst',
        'edge.notify.Notice',
        'google.protobuf.Any',
        'google.protobuf.Timestamp',
      ]),
    );
    expect(names.some((n) => n.startsWith('distributed_match_engine.'))).toBe(true);
    expect(names.some((n) => n.startsWith('google.protobuf.FileDescriptor'))).toBe(true);
    expect(types.length).toBeGreaterThan(150);
  });

  it.each(types.map((t, i) => [t.typeName, t, i] as const))('%s', (_name, desc, i) => {
    checkType(desc, registry, 1000 + i);
  });
});

describe('binaryCodec conformance on synthetic proto2 / editions / well-known-type schemas', () => {
  const registry = syntheticRegistry();
  const types = [...registry].filter((t): t is DescMessage => t.kind === 'message');

  it.each(types.map((t, i) => [t.typeName, t, i] as const))('%s', (_name, desc, i) => {
    checkType(desc, registry, 5000 + i);
  });
});

describe('binaryCodec API', () => {
  const registry = createRegistry(...allFiles);
  const appInst = registry.getMessage('edgeproto.AppInst')!;

  it('is cached per descriptor', () => {
    expect(binaryCodec(appInst)).toBe(binaryCodec(appInst));
  });

  it('encode / encodeBuffer / encodeWith agree with toBinary; decode / decodeWith with fromBinary', () => {
    const rng = new Rng(3);
    const codec = binaryCodec(appInst);
    for (let i = 0; i < 20; i++) {
      const m = randomMessage(appInst, rng);
      const want = hex(toBinary(appInst, m));
      const bytes = codec.encode(m);
      const buffer = codec.encodeBuffer(m);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.isBuffer(bytes)).toBe(false);
      expect(Buffer.isBuffer(buffer)).toBe(true);
      expect(hex(bytes)).toBe(want);
      expect(hex(buffer)).toBe(want);
      expect(hex(encodeWith(appInst, m))).toBe(want);
      expect(structuralDiff(codec.decode(bytes), fromBinary(appInst, bytes))).toBeUndefined();
      expect(structuralDiff(decodeWith(appInst, buffer), fromBinary(appInst, buffer))).toBeUndefined();
    }
  });

  it('returns independent results: later encodes do not touch earlier ones', () => {
    const codec = binaryCodec(appInst);
    const a = create(appInst, { uri: 'first' });
    const b = create(appInst, { uri: 'second, longer' });
    const bytesA = codec.encode(a);
    const copyA = hex(bytesA);
    const results = Array.from({ length: 500 }, () => codec.encodeBuffer(b));
    expect(hex(bytesA)).toBe(copyA);
    bytesA[2] = 0x41;
    expect(results.every((r) => hex(r) === hex(toBinary(appInst, b)))).toBe(true);
  });

  it('handles messages larger than its slab, then small ones again', () => {
    const codec = binaryCodec(appInst);
    const big = create(appInst, { uri: 'u'.repeat(100_000), errors: ['é'.repeat(40_000), 'x'] });
    const small = create(appInst, { uri: 'small' });
    for (let i = 0; i < 3; i++) {
      expect(hex(codec.encode(big))).toBe(hex(toBinary(appInst, big)));
      expect(hex(codec.encode(small))).toBe(hex(toBinary(appInst, small)));
    }
  });

  it('leaves everything to protobuf-es without bigint support (BUF_BIGINT_DISABLE)', () => {
    process.env.BUF_BIGINT_DISABLE = '1';
    try {
      jest.isolateModules(() => {
        // Fresh module instances, so that protobuf-es reads the variable.
        const pb = jest.requireActual<typeof Protobuf>('@bufbuild/protobuf');
        const { edgeproto } = jest.requireActual<typeof Gen>('../gen');
        const codec = jest.requireActual<typeof Codec>('./binary-codec');
        expect(pb.protoInt64.supported).toBe(false);
        const schema = edgeproto.AppInstSchema;
        const m = pb.create(schema, {
          uri: 'u',
          externalVolumeSize: '12' as never,
          createdAt: { seconds: '-5' as never },
          key: { appKey: { name: 'n' } },
        });
        const bytes = pb.toBinary(schema, m);
        expect(hex(codec.encodeWith(schema, m))).toBe(hex(bytes));
        const decoded = codec.decodeWith(schema, bytes);
        expect(structuralDiff(decoded, pb.fromBinary(schema, bytes))).toBeUndefined();
        expect(decoded.externalVolumeSize).toBe('12');
      });
    } finally {
      delete process.env.BUF_BIGINT_DISABLE;
    }
  });
});
