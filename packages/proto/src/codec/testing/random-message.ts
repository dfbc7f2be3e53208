// Test support: seeded random messages of any type, covering every field kind and the edge
// values of every scalar type.
import { ScalarType, create, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';

/** A small seeded PRNG (mulberry32), so failures reproduce. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const TEXTS = [
  '',
  'a',
  'hello world',
  'séance-1 ü',
  '漢字かな交じり',
  'emoji 😀🚀',
  'lone \uD800 high',
  'lone \uDC00 low',
  'end \uD83D',
  '\uFEFFbom',
  'x'.repeat(42),
  'y'.repeat(43),
  'é'.repeat(70),
  'long '.repeat(40),
  'z'.repeat(20000),
];

const I32 = [0, 1, -1, 127, 128, 300, -300, 0x7fffffff, -0x80000000, 0x3fffffff, -0x40000000];
const U32 = [0, 1, 127, 128, 16383, 16384, 0x7fffffff, 0x80000000, 0xffffffff];
const I64 = [
  0n,
  1n,
  -1n,
  127n,
  128n,
  2n ** 31n,
  -(2n ** 31n) - 1n,
  2n ** 53n + 1n,
  -(2n ** 53n) - 3n,
  2n ** 63n - 1n,
  -(2n ** 63n),
];
const U64 = [0n, 1n, 128n, 2n ** 32n, 2n ** 32n - 1n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
const F64 = [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 1e-310, 52.52];
const F32 = [
  0,
  -0,
  1.5,
  -2.25,
  NaN,
  Infinity,
  -Infinity,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  1e-45,
  0.1,
];

function randomInt32(rng: Rng): number {
  return rng.chance(0.6) ? rng.pick(I32) : rng.int(2 ** 32) | 0;
}

function randomUint32(rng: Rng): number {
  return rng.chance(0.6) ? rng.pick(U32) : rng.int(2 ** 32);
}

function randomInt64(rng: Rng): bigint {
  return rng.chance(0.6)
    ? rng.pick(I64)
    : BigInt.asIntN(64, (BigInt(rng.int(2 ** 32)) << 32n) | BigInt(rng.int(2 ** 32)));
}

function randomUint64(rng: Rng): bigint {
  return rng.chance(0.6) ? rng.pick(U64) : BigInt(rng.int(2 ** 32)) * BigInt(1 + rng.int(2 ** 20));
}

function randomBytes(rng: Rng): Uint8Array {
  const len = rng.pick([0, 1, 5, 127, 128, 300]);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = rng.int(256);
  return out;
}

/** A random value of a scalar type; `longAsString` gives 64-bit integers as strings. */
export function randomScalar(rng: Rng, type: ScalarType, longAsString = false): unknown {
  switch (type) {
    case ScalarType.STRING:
      return rng.pick(TEXTS);
    case ScalarType.BOOL:
      return rng.chance(0.5);
    case ScalarType.BYTES:
      return randomBytes(rng);
    case ScalarType.DOUBLE:
      return rng.chance(0.6) ? rng.pick(F64) : (rng.next() - 0.5) * 10 ** rng.int(30);
    case ScalarType.FLOAT:
      return rng.chance(0.6) ? rng.pick(F32) : Math.fround((rng.next() - 0.5) * 10 ** rng.int(20));
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return randomInt32(rng);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return randomUint32(rng);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64: {
      const v = randomInt64(rng);
      return longAsString ? String(v) : v;
    }
    case ScalarType.UINT64:
    case ScalarType.FIXED64: {
      const v = randomUint64(rng);
      return longAsString ? String(v) : v;
    }
  }
}

/** A random map key of a key type, as the object key protobuf-es uses (a string). */
function randomKey(rng: Rng, type: ScalarType): string {
  if (type === ScalarType.STRING)
    return rng.pick(['', 'k', 'key with space', 'ключ', '__proto__', '0', '10', 'z'.repeat(200)]);
  return String(randomScalar(rng, type));
}

/**
 * Enum values for a field: known numbers, and for open enums sometimes unknown ones (closed
 * enums drop unknown numbers into `$unknown` on decode, which the codec does not keep).
 */
function randomEnum(rng: Rng, field: DescField, repeated: boolean): number {
  const values = field.enum!.values;
  // Lists and map values keep unknown numbers even for closed enums (protobuf-es checks only
  // singular fields).
  if ((repeated || field.enum!.open) && rng.chance(0.15))
    return rng.pick([-1, 99999, 0x7fffffff, -0x80000000]);
  return rng.pick(values).number;
}

const WRAPPER = /^google\.protobuf\.(Double|Float|Int64|UInt64|Int32|UInt32|Bool|String|Bytes)Value$/;

/** protobuf-es keeps singular wrapper fields (outside oneofs) unwrapped, as the scalar. */
function isUnwrapped(f: DescField): boolean {
  return f.fieldKind === 'message' && f.oneof === undefined && WRAPPER.test(f.message.typeName);
}

/** protobuf-es keeps google.protobuf.Struct fields (outside google.protobuf.Value) as JSON. */
function isJsonStruct(f: DescField): boolean {
  return f.message?.typeName === 'google.protobuf.Struct' && f.parent.typeName !== 'google.protobuf.Value';
}

function randomJson(rng: Rng, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = rng.int(4);
  for (let i = 0; i < n; i++) {
    const k = rng.pick(['a', 'b', 'long key', 'ключ', '']);
    out[k] = rng.pick<() => unknown>([
      () => rng.int(1000) / 8,
      () => rng.pick(TEXTS.slice(0, 8)),
      () => rng.chance(0.5),
      () => null,
      () => (depth < 2 ? [1, 'x', null, randomJson(rng, depth + 1)] : []),
      () => (depth < 2 ? randomJson(rng, depth + 1) : {}),
    ])();
  }
  return out;
}

export interface RandomOptions {
  /** Nesting depth below which sub-messages are still generated. */
  readonly maxDepth: number;
  /** Probability of setting an optional member. */
  readonly density: number;
}

const DEFAULTS: RandomOptions = { maxDepth: 4, density: 0.7 };

/** A random message of `desc` built with `create()`, so it is a valid protobuf-es message. */
export function randomMessage(
  desc: DescMessage,
  rng: Rng,
  options: Partial<RandomOptions> = {},
  depth = 0,
): Message {
  const opts = { ...DEFAULTS, ...options };
  const init: Record<string, unknown> = {};
  const nest = depth < opts.maxDepth;
  const value = (f: DescField): unknown => {
    switch (f.fieldKind) {
      case 'scalar':
        return randomScalar(rng, f.scalar, f.longAsString);
      case 'enum':
        return randomEnum(rng, f, false);
      case 'message':
        if (isUnwrapped(f)) return randomScalar(rng, f.message.fields[0]!.scalar!);
        if (isJsonStruct(f)) return randomJson(rng);
        return randomMessage(f.message, rng, opts, depth + 1);
      default:
        return undefined;
    }
  };
  const child = (f: DescField & { message: DescMessage }): unknown =>
    isJsonStruct(f) ? randomJson(rng) : randomMessage(f.message, rng, opts, depth + 1);
  for (const member of desc.members) {
    if (member.kind === 'oneof') {
      if (!rng.chance(opts.density)) continue;
      const f = rng.pick(member.fields);
      if (f.fieldKind === 'message' && !nest) continue;
      init[member.localName] = { case: f.localName, value: value(f) };
      continue;
    }
    const f = member;
    const required = f.presence === 3;
    if (!required && !rng.chance(opts.density)) continue;
    const count = rng.pick([0, 1, 2, 3]);
    switch (f.fieldKind) {
      case 'scalar':
      case 'enum':
        init[f.localName] = value(f);
        break;
      case 'message':
        if (nest || required || isUnwrapped(f)) init[f.localName] = value(f);
        break;
      case 'list': {
        if (f.listKind === 'message' && !nest) break;
        const items: unknown[] = [];
        for (let i = 0; i < count; i++) {
          if (f.listKind === 'message') items.push(child(f));
          else if (f.listKind === 'enum') items.push(randomEnum(rng, f as DescField, true));
          else items.push(randomScalar(rng, f.scalar, f.longAsString));
        }
        init[f.localName] = items;
        break;
      }
      case 'map': {
        if (f.mapKind === 'message' && !nest) break;
        const rec: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const key = randomKey(rng, f.mapKey);
          let v: unknown;
          if (f.mapKind === 'message') v = child(f);
          else if (f.mapKind === 'enum') v = randomEnum(rng, f as DescField, true);
          else v = randomScalar(rng, f.scalar);
          Object.defineProperty(rec, key, { value: v, writable: true, enumerable: true, configurable: true });
        }
        init[f.localName] = rec;
        break;
      }
    }
  }
  return create(desc, init as never);
}
