import { ScalarType } from '@bufbuild/protobuf';

/** Wire types (protobuf-es's `WireType`). */
export const VARINT = 0;
export const BIT64 = 1;
export const LEN = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const BIT32 = 5;

/**
 * How the generated code handles one scalar type. Expressions are JavaScript source over a
 * local `v`, the reader `r` and the writer `w`; helpers (`I64`, `U64`, `okF32`) come from
 * the runtime handed to every generated function.
 */
export interface ScalarSpec {
  readonly wire: number;
  /** Reads one value (the bigint form for 64-bit types). */
  readonly read: string;
  /**
   * Statements validating `v` and writing it, preceded by tag value `tag` when given (one
   * combined writer call where the writer has one); invalid values bail.
   */
  readonly write: (tag?: number) => string;
  /** True when `v` is the implicit-presence zero protobuf-es skips (run before `write`). */
  readonly isZero: string;
}

/** Writer call `method(v)`, or `tagMethod(tag, v)` / `tag(tag); method(v)` with a tag. */
function call(method: string, tagged?: string): (tag?: number) => string {
  return (tag) => {
    if (tag === undefined) return `w.${method}(v);`;
    return tagged ? `w.${tagged}(${tag}, v);` : `w.tag(${tag}); w.${method}(v);`;
  };
}

function checked(check: string, write: (tag?: number) => string): (tag?: number) => string {
  return (tag) => `if (${check}) bail(); ${write(tag)}`;
}

const notInt32 = 'typeof v !== "number" || (v | 0) !== v';
const notUint32 = 'typeof v !== "number" || v >>> 0 !== v';
const big = (conv: string, method: string) => (tag?: number) =>
  `${tag === undefined ? '' : `w.tag(${tag}); `}w.${method}(${conv}(v));`;

/** The writer method for enum values (int32). */
export const enumWrite = checked(notInt32, call('int32', 'tagInt32'));

const SPECS: Record<ScalarType, ScalarSpec> = {
  [ScalarType.DOUBLE]: {
    wire: BIT64,
    read: 'r.double()',
    write: checked('typeof v !== "number"', call('double')),
    // protobuf-es skips only +0 (Object.is): -0 and NaN are written.
    isZero: '(v === 0 && 1 / v > 0)',
  },
  [ScalarType.FLOAT]: {
    wire: BIT32,
    read: 'r.float()',
    write: checked('typeof v !== "number" || !okF32(v)', call('float')),
    isZero: '(v === 0 && 1 / v > 0)',
  },
  // 64-bit zero checks are loose like protobuf-es: 0n, 0 and "0" are all zero.
  [ScalarType.INT64]: {
    wire: VARINT,
    read: 'r.int64()',
    write: big('I64', 'int64'),
    isZero: '(typeof v === "bigint" ? v === 0n : v == 0)',
  },
  [ScalarType.UINT64]: {
    wire: VARINT,
    read: 'r.uint64()',
    write: big('U64', 'uint64'),
    isZero: '(typeof v === "bigint" ? v === 0n : v == 0)',
  },
  [ScalarType.INT32]: {
    wire: VARINT,
    read: 'r.int32()',
    write: checked(notInt32, call('int32', 'tagInt32')),
    isZero: 'v === 0',
  },
  [ScalarType.FIXED64]: {
    wire: BIT64,
    read: 'r.fixed64()',
    write: big('U64', 'fixed64Big'),
    isZero: '(typeof v === "bigint" ? v === 0n : v == 0)',
  },
  [ScalarType.FIXED32]: {
    wire: BIT32,
    read: 'r.fixed32()',
    write: checked(notUint32, call('fixed32')),
    isZero: 'v === 0',
  },
  [ScalarType.BOOL]: {
    wire: VARINT,
    read: 'r.bool()',
    write: checked('v !== true && v !== false', call('bool', 'tagBool')),
    isZero: 'v === false',
  },
  [ScalarType.STRING]: {
    wire: LEN,
    read: 'r.string(STRICT)',
    write: checked('typeof v !== "string"', call('string', 'tagString')),
    isZero: 'v === ""',
  },
  [ScalarType.BYTES]: {
    wire: LEN,
    read: 'r.bytes()',
    write: checked('!(v instanceof Uint8Array)', call('bytes')),
    isZero: '(v instanceof Uint8Array && v.byteLength === 0)',
  },
  [ScalarType.UINT32]: {
    wire: VARINT,
    read: 'r.uint32()',
    write: checked(notUint32, call('uint32', 'tagUint32')),
    isZero: 'v === 0',
  },
  [ScalarType.SFIXED32]: {
    wire: BIT32,
    read: 'r.sfixed32()',
    write: checked(notInt32, call('sfixed32')),
    isZero: 'v === 0',
  },
  [ScalarType.SFIXED64]: {
    wire: BIT64,
    read: 'r.sfixed64()',
    write: big('I64', 'fixed64Big'),
    isZero: '(typeof v === "bigint" ? v === 0n : v == 0)',
  },
  [ScalarType.SINT32]: {
    wire: VARINT,
    read: 'r.sint32()',
    write: checked(notInt32, call('sint32')),
    isZero: 'v === 0',
  },
  [ScalarType.SINT64]: {
    wire: VARINT,
    read: 'r.sint64()',
    write: big('I64', 'sint64'),
    isZero: '(typeof v === "bigint" ? v === 0n : v == 0)',
  },
};

export function scalarSpec(type: ScalarType): ScalarSpec {
  return SPECS[type];
}

/** 64-bit integer types, whose local form is a bigint (or a string with `jstype = JS_STRING`). */
export function is64(type: ScalarType): boolean {
  switch (type) {
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.SINT64:
      return true;
    default:
      return false;
  }
}

/** The varint bytes of a tag. */
export function tagBytes(fieldNo: number, wireType: number): number[] {
  let v = ((fieldNo << 3) | wireType) >>> 0;
  const out: number[] = [];
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

/** The tag's value as the generated decoder's `switch` sees it (the decoded uint32). */
export function tagValue(fieldNo: number, wireType: number): number {
  return ((fieldNo << 3) | wireType) >>> 0;
}

/** Source writing a precomputed tag (the writer's `tag()` takes the uint32 value). */
export function writeTag(fieldNo: number, wireType: number): string {
  return `w.tag(${tagValue(fieldNo, wireType)});`;
}
