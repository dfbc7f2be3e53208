import {
  ScalarType,
  create,
  mergeFromBinary,
  type DescField,
  type DescMessage,
  type Message,
} from '@bufbuild/protobuf';
import {
  Constants,
  IMPLICIT,
  isDelimited,
  literal,
  messagePrototype,
  prop,
  usesReflection,
} from './message-plan';
import type { Reader } from './reader';
import { END_GROUP, LEN, START_GROUP, VARINT, is64, scalarSpec, tagBytes, tagValue } from './scalars';
import { RECURSION_LIMIT, type DecodeFn, type Link, type TypeEntry } from './types';

/** Helpers the generated decoders close over. Their errors only trigger the protobuf-es fallback. */
const runtime = {
  create,
  depthError(): never {
    throw new Error('maximum recursion depth reached');
  },
  wireError(): never {
    throw new Error('unexpected wire type for a known field');
  },
  overrun(): never {
    throw new RangeError('field overruns its message');
  },
  groupError(): never {
    throw new Error('invalid end group tag');
  },
  /** protobuf-es's `setOwn`: a map key "__proto__" must become an own property. */
  setProto(rec: object, value: unknown): void {
    Object.defineProperty(rec, '__proto__', { value, writable: true, enumerable: true, configurable: true });
  },
};

/** The decoder of a message type, generated as specialised JavaScript. */
export function genDecoder(desc: DescMessage, link: Link): DecodeFn {
  if (usesReflection(desc)) return reflectiveDecoder(desc);
  const k = new Constants();
  const children: TypeEntry[] = [];
  const child = (d: DescMessage): string => {
    const e = link(d);
    let i = children.indexOf(e);
    if (i < 0) i = children.push(e) - 1;
    return `c${i}`;
  };
  const helpers: string[] = [];
  const cases: string[] = [];
  for (const f of desc.fields) cases.push(fieldCases(f, child, k, helpers));
  const known = desc.fields.map((f) => `case ${f.number}:`).join(' ');
  const init = newMessage(desc, k);
  const source =
    '"use strict";\nconst { create, depthError, wireError, overrun, groupError, setProto } = rt;\n' +
    k.preamble() +
    children.map((_, i) => `const c${i} = C[${i}];\n`).join('') +
    helpers.join('\n') +
    `\nreturn function decode_${desc.typeName.replace(/\W/g, '_')}(r, end, depth, m, group) {\n` +
    `if (depth > ${RECURSION_LIMIT}) depthError();\n` +
    `if (m === undefined) ${init}\n` +
    'const b = r.buf;\nlet t = 0, v, e;\n' +
    'L: while (r.pos < end) {\n' +
    't = b[r.pos++];\nif (t >= 0x80) t = r.tagRest();\n' +
    `switch (t) {\n${cases.join('\n')}\n` +
    'default:\n' +
    'if (group !== 0 && t === group * 8 + 4) break L;\n' +
    (known ? `switch (t >>> 3) { ${known} wireError(); }\n` : '') +
    `r.checkTag(t);\nr.skip(t & 7, t >>> 3, ${RECURSION_LIMIT} - depth);\n` +
    '}\n}\n' +
    'if (group !== 0) { if (t !== group * 8 + 4) groupError(); } else if (r.pos !== end) overrun();\n' +
    'return m;\n};';
  return new Function('rt', 'K', 'C', source)(runtime, k.values, children) as DecodeFn;
}

/**
 * Statements creating `m` exactly like protobuf-es's `create(desc)`: `$typeName` first, then
 * the members in declaration order with their zero values (message fields and scalars with
 * explicit presence stay absent), on the shared prototype when `create()` uses one.
 */
function newMessage(desc: DescMessage, k: Constants): string {
  const template = create(desc) as unknown as Record<string, unknown>;
  const members: [string, string][] = [];
  for (const member of desc.members) {
    const name = member.localName;
    if (member.kind === 'oneof') {
      members.push([name, '{ case: undefined }']);
      continue;
    }
    switch (member.fieldKind) {
      case 'list':
        members.push([name, '[]']);
        break;
      case 'map':
        members.push([name, '{}']);
        break;
      case 'scalar':
      case 'enum':
        if (member.presence === IMPLICIT) {
          const zero = template[name];
          members.push([name, literal(zero) ?? k.ref(zero)]);
        }
        break;
      case 'message':
        break;
    }
  }
  // The descriptor's own string, like create(): encoders compare it by pointer.
  const typeName = k.ref(desc.typeName);
  const proto = messagePrototype(desc);
  if (proto === undefined) {
    const props = members.map(([n, v]) => `${JSON.stringify(n)}: ${v}`);
    return `m = { $typeName: ${typeName}${props.map((p) => `, ${p}`).join('')} };`;
  }
  return (
    `{ m = Object.create(${k.ref(proto)}); m.$typeName = ${typeName}; ` +
    members.map(([n, v]) => `${prop('m', n)} = ${v};`).join(' ') +
    ' }'
  );
}

/** Expression reading one value of a scalar or enum type. */
function readExpr(type: ScalarType | 'enum', strict: boolean, longAsString: boolean): string {
  if (type === 'enum') return 'r.int32()';
  const read = scalarSpec(type).read.replace('STRICT', String(strict));
  return longAsString && is64(type) ? `String(${read})` : read;
}

function wireOf(type: ScalarType | 'enum'): number {
  return type === 'enum' ? VARINT : scalarSpec(type).wire;
}

/** Expression decoding a sub-message (length-delimited or group) merged into `existing`. */
function messageExpr(f: DescField, c: string, existing: string): string {
  if (isDelimited(f)) {
    return `${c}.dec(r, r.len, depth + 1, ${existing}, ${f.number})`;
  }
  return `${c}.dec(r, r.delimited(), depth + 1, ${existing}, 0)`;
}

function messageTag(f: DescField): number {
  return tagValue(f.number, isDelimited(f) ? START_GROUP : LEN);
}

/** The `case` clauses of one field. Wire types protobuf-es would misread fall to `wireError`. */
function fieldCases(
  f: DescField,
  child: (d: DescMessage) => string,
  k: Constants,
  helpers: string[],
): string {
  const name = JSON.stringify(f.localName);
  const target = prop('m', f.localName);
  switch (f.fieldKind) {
    case 'scalar':
    case 'enum': {
      const type = f.fieldKind === 'enum' ? 'enum' : f.scalar;
      const read = readExpr(type, f.utf8Validation, f.fieldKind === 'scalar' && f.longAsString);
      const set = (value: string): string =>
        f.oneof
          ? `${prop('m', f.oneof.localName)} = { case: ${name}, value: ${value} };`
          : `${target} = ${value};`;
      const tag = `case ${tagValue(f.number, wireOf(type))}:`;
      if (f.fieldKind === 'enum' && !f.enum.open) {
        // Closed enums drop unknown numbers (protobuf-es keeps them in $unknown).
        const values = k.ref(new Set(f.enum.values.map((x) => x.number)));
        return `${tag} v = r.int32(); if (${values}.has(v)) ${set('v')} break;`;
      }
      return `${tag} ${set(read)} break;`;
    }
    case 'message': {
      const c = child(f.message);
      if (f.oneof) {
        const o = prop('m', f.oneof.localName);
        return `case ${messageTag(f)}: v = ${o}; ${o} = { case: ${name}, value: ${messageExpr(f, c, `v.case === ${name} ? v.value : undefined`)} }; break;`;
      }
      return `case ${messageTag(f)}: ${target} = ${messageExpr(f, c, target)}; break;`;
    }
    case 'list': {
      if (f.listKind === 'message') {
        return `case ${messageTag(f)}: ${target}.push(${messageExpr(f, child(f.message), 'undefined')}); break;`;
      }
      const type = f.listKind === 'enum' ? 'enum' : f.scalar;
      const read = readExpr(type, f.utf8Validation, f.listKind === 'scalar' && f.longAsString);
      const wire = wireOf(type);
      const single = `case ${tagValue(f.number, wire)}: ${target}.push(${read}); break;`;
      if (wire === LEN) return single;
      return (
        `${single}\ncase ${tagValue(f.number, LEN)}: e = r.delimited(); v = ${target};` +
        ` while (r.pos < e) v.push(${read}); if (r.pos !== e) overrun(); break;`
      );
    }
    case 'map': {
      const fn = `map${helpers.length}`;
      helpers.push(mapReader(fn, f, child, k));
      return `case ${tagValue(f.number, LEN)}: ${fn}(r, ${target}, depth); break;`;
    }
  }
}

/** A function reading one map entry into the record, like protobuf-es's map field reader. */
function mapReader(
  fn: string,
  f: DescField & { fieldKind: 'map' },
  child: (d: DescMessage) => string,
  k: Constants,
) {
  const keyRead = readExpr(f.mapKey, f.utf8Validation, false);
  const keyZero = literal(zeroOf(f.mapKey))!;
  let valueCase: string;
  let valueDefault: string;
  switch (f.mapKind) {
    case 'message':
      valueCase = `case ${tagValue(2, LEN)}: v = ${child(f.message)}.dec(r, r.delimited(), depth + 1, v, 0); break;`;
      valueDefault = `create(${k.ref(f.message)})`;
      break;
    case 'enum':
      valueCase = `case ${tagValue(2, VARINT)}: v = r.int32(); break;`;
      valueDefault = String(f.enum.values[0]!.number);
      break;
    case 'scalar':
      valueCase = `case ${tagValue(2, wireOf(f.scalar))}: v = ${readExpr(f.scalar, f.utf8Validation, false)}; break;`;
      valueDefault = f.scalar === ScalarType.BYTES ? 'new Uint8Array(0)' : literal(zeroOf(f.scalar))!;
      break;
  }
  const assign =
    f.mapKey === ScalarType.STRING
      ? 'if (k === "__proto__") setProto(rec, v); else rec[k] = v;'
      : 'rec[k] = v;';
  return (
    `function ${fn}(r, rec, depth) {\n` +
    'const end = r.delimited();\nconst b = r.buf;\n' +
    `let k = ${keyZero}, v = undefined, t = 0;\n` +
    'while (r.pos < end) {\n' +
    't = b[r.pos++];\nif (t >= 0x80) t = r.tagRest();\n' +
    `switch (t) {\ncase ${tagValue(1, wireOf(f.mapKey))}: k = ${keyRead}; break;\n${valueCase}\n` +
    `default:\nif (t >>> 3 === 1 || t >>> 3 === 2) wireError();\n` +
    `r.checkTag(t);\nr.skip(t & 7, t >>> 3, ${RECURSION_LIMIT} - depth);\n}\n}\n` +
    'if (r.pos !== end) overrun();\n' +
    `if (v === undefined) v = ${valueDefault};\n${assign}\n}`
  );
}

/** protobuf-es's `scalarZeroValue(type, false)` for non-bytes types. */
function zeroOf(type: ScalarType): string | number | boolean | bigint {
  if (type === ScalarType.STRING) return '';
  if (type === ScalarType.BOOL) return false;
  return is64(type) ? 0n : 0;
}

/**
 * A decoder delegating to protobuf-es (`mergeFromBinary`) for types whose local form the
 * generated code does not reproduce. Unknown fields are dropped like everywhere else.
 */
export function reflectiveDecoder(desc: DescMessage): DecodeFn {
  return (r: Reader, end: number, depth: number, m: Message | undefined, group: number): Message => {
    const target = m ?? create(desc);
    const start = r.pos;
    let stop = end;
    if (group !== 0) {
      r.skip(START_GROUP, group, RECURSION_LIMIT - depth + 1);
      const tag = tagBytes(group, END_GROUP);
      stop = r.pos - tag.length;
      if (tag.some((x, i) => r.buf[stop + i] !== x)) runtime.groupError();
    }
    mergeFromBinary(desc, target, r.buf.subarray(start, stop), {
      readUnknownFields: false,
      recursionLimit: RECURSION_LIMIT + 1 - depth,
    });
    if (group === 0) r.pos = end;
    return target;
  };
}
