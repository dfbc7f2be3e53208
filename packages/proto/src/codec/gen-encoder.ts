import { ScalarType, toBinary, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { fieldsByNumber, IMPLICIT, isDelimited, LEGACY_REQUIRED, prop, usesReflection } from './message-plan';
import {
  END_GROUP,
  LEN,
  START_GROUP,
  VARINT,
  enumWrite,
  is64,
  scalarSpec,
  tagValue,
  writeTag,
} from './scalars';
import type { EncodeFn, Link, TypeEntry } from './types';
import type { Writer } from './writer';

/** Thrown by generated encoders for any value they do not encode themselves. */
export class Bail extends Error {}

const BAIL = new Bail('value not handled by the compiled encoder');
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Helpers the generated encoders close over. */
const runtime = {
  bail(): never {
    throw BAIL;
  },
  /** A signed 64-bit input as protobuf-es accepts it (bigint, number, string), range-checked. */
  I64(v: unknown): bigint {
    const b = typeof v === 'bigint' ? v : BigInt(v as string);
    if (b > INT64_MAX || b < INT64_MIN) throw BAIL;
    return b;
  },
  U64(v: unknown): bigint {
    const b = typeof v === 'bigint' ? v : BigInt(v as string);
    if (b > UINT64_MAX || b < 0n) throw BAIL;
    return b;
  },
  /** protobuf-es's float32 check: finite doubles must stay finite as float32. */
  okF32(v: number): boolean {
    return Number.isFinite(Math.fround(v)) || !Number.isFinite(v);
  },
  hasOwn: Object.prototype.hasOwnProperty,
  writeUnknown(unknown: readonly { no: number; wireType: number; data: Uint8Array }[], w: Writer): void {
    for (const u of unknown) {
      const tag = ((u.no << 3) | u.wireType) >>> 0;
      if (tag !== u.no * 8 + u.wireType) throw BAIL;
      w.uint32(tag);
      w.raw(u.data);
    }
  },
};

/** The encoder of a message type, generated as specialised JavaScript. */
export function genEncoder(desc: DescMessage, link: Link): EncodeFn {
  if (usesReflection(desc)) return reflectiveEncoder(desc);
  const children: TypeEntry[] = [];
  const child = (d: DescMessage): string => {
    const e = link(d);
    let i = children.indexOf(e);
    if (i < 0) i = children.push(e) - 1;
    return `c${i}`;
  };
  const body: string[] = [];
  // Compared with the descriptor's own string, which create() also uses: usually a pointer check.
  if (desc.fields.length > 0) body.push('if (m.$typeName !== typeName) bail();');
  const oneofs = new Map<string, string>();
  for (const o of desc.oneofs) {
    const local = `o${oneofs.size}`;
    oneofs.set(o.localName, local);
    body.push(`const ${local} = ${prop('m', o.localName)};`);
  }
  for (const f of fieldsByNumber(desc)) body.push(fieldCode(f, oneofs, child));
  body.push('v = m.$unknown;', 'if (v !== undefined) writeUnknown(v, w);');
  const preamble =
    '"use strict";\nconst { bail, I64, U64, okF32, hasOwn, writeUnknown } = rt;\n' +
    children.map((_, i) => `const c${i} = C[${i}];\n`).join('');
  const name = `encode_${desc.typeName.replace(/\W/g, '_')}`;
  const source = `${preamble}return function ${name}(m, w) {\nlet v;\n${body.join('\n')}\n};`;
  return new Function('rt', 'C', 'typeName', source)(runtime, children, desc.typeName) as EncodeFn;
}

/** An encoder delegating the message body to protobuf-es's `toBinary`. */
export function reflectiveEncoder(desc: DescMessage): EncodeFn {
  return (m, w) => w.raw(toBinary(desc, m as never));
}

/** Statements writing the value in `v` of a scalar or enum field, preceded by `tag` if given. */
function valueCode(f: DescField, tag?: number): string {
  if (f.fieldKind === 'enum' || (f.fieldKind === 'list' && f.listKind === 'enum')) return enumWrite(tag);
  if (f.fieldKind === 'map' && f.mapKind === 'enum') return enumWrite(tag);
  return scalarSpec(f.scalar!).write(tag);
}

function wireOf(f: DescField): number {
  if (f.fieldKind === 'enum' || (f.fieldKind === 'list' && f.listKind === 'enum')) return VARINT;
  if (f.fieldKind === 'map' && f.mapKind === 'enum') return VARINT;
  return scalarSpec(f.scalar!).wire;
}

/** Statements writing the message in `v` with its tag (length-delimited or as a group). */
function messageCode(f: DescField, c: string): string {
  if (isDelimited(f)) {
    return `${writeTag(f.number, START_GROUP)} ${c}.enc(v, w); ${writeTag(f.number, END_GROUP)}`;
  }
  return `{ const at = w.tagFork(${tagValue(f.number, LEN)}); ${c}.enc(v, w); w.join(at); }`;
}

function fieldCode(f: DescField, oneofs: Map<string, string>, child: (d: DescMessage) => string): string {
  const get = `v = ${prop('m', f.localName)};`;
  const explicitSet = `v !== undefined && hasOwn.call(m, ${JSON.stringify(f.localName)})`;
  const required = f.presence === LEGACY_REQUIRED ? ' else bail();' : '';
  switch (f.fieldKind) {
    case 'scalar':
    case 'enum': {
      const write = valueCode(f, tagValue(f.number, wireOf(f)));
      if (f.oneof) {
        return `if (${oneofs.get(f.oneof.localName)}.case === ${JSON.stringify(f.localName)}) { v = ${oneofs.get(f.oneof.localName)}.value; ${write} }`;
      }
      if (f.presence !== IMPLICIT) return `${get} if (${explicitSet}) { ${write} }${required}`;
      const isZero =
        f.fieldKind === 'enum' ? `v === ${f.enum.values[0]!.number}` : scalarSpec(f.scalar).isZero;
      return `${get} if (!(${isZero})) { ${write} }`;
    }
    case 'message': {
      const write = messageCode(f, child(f.message));
      if (f.oneof) {
        const o = oneofs.get(f.oneof.localName)!;
        return `if (${o}.case === ${JSON.stringify(f.localName)}) { v = ${o}.value; if (v === undefined) bail(); ${write} }`;
      }
      return `${get} if (${explicitSet}) { ${write} }${required}`;
    }
    case 'list': {
      const arr = prop('m', f.localName);
      if (f.listKind === 'message') {
        const write = messageCode(f, child(f.message));
        return `{ const a = ${arr}; for (let i = 0; i < a.length; i++) { v = a[i]; if (v === undefined) bail(); ${write} } }`;
      }
      const value = valueCode(f);
      if (f.packed) {
        return `{ const a = ${arr}; if (a.length !== 0) { const at = w.tagFork(${tagValue(f.number, LEN)}); for (let i = 0; i < a.length; i++) { v = a[i]; ${value} } w.join(at); } }`;
      }
      return `{ const a = ${arr}; for (let i = 0; i < a.length; i++) { v = a[i]; ${valueCode(f, tagValue(f.number, wireOf(f)))} } }`;
    }
    case 'map': {
      const key = mapKeyCode(f.mapKey);
      let value: string;
      if (f.mapKind === 'message') {
        value = `if (v === undefined) bail(); { const at2 = w.tagFork(${tagValue(2, LEN)}); ${child(f.message)}.enc(v, w); w.join(at2); }`;
      } else {
        value = valueCode(f, tagValue(2, wireOf(f)));
      }
      return (
        // for-in over own keys visits what Object.keys() returns, in the same order, without
        // allocating an array (most maps are empty).
        // (Object.keys() throws for undefined and null where for-in does not: leave those to it.)
        `{ const mp = ${prop('m', f.localName)}; if (typeof mp !== "object" || mp === null) bail();` +
        ` for (const key in mp) { if (!hasOwn.call(mp, key)) continue; const at = w.tagFork(${tagValue(f.number, LEN)});` +
        ` ${key} v = mp[key]; ${value} w.join(at); } }`
      );
    }
  }
}

/**
 * Statements writing map key `key` (always a string locally) as field 1, converted like
 * protobuf-es's `compileMapKeyConverter`.
 */
function mapKeyCode(type: ScalarType): string {
  const spec = scalarSpec(type);
  const tag = tagValue(1, spec.wire);
  switch (type) {
    case ScalarType.STRING:
      return `w.tagString(${tag}, key);`;
    case ScalarType.BOOL:
      return `if (key === "true") w.tagBool(${tag}, true); else if (key === "false") w.tagBool(${tag}, false); else bail();`;
    default:
      if (is64(type)) return `v = key; ${spec.write(tag)}`;
      return `v = Number.parseInt(key); if (!Number.isFinite(v)) bail(); ${spec.write(tag)}`;
  }
}
