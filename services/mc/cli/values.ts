import { camelCase, type EnumInfo, type Scalar } from './struct-type';

/** A value that could not be read as its field's type; `message` is the original's wording. */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}

const BOOL_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const BOOL_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Removes shell-surviving quotes as Go's strconv.Unquote would (`"a b"`, `` `a b` ``). */
export function unquote(val: string): string {
  if (val.length >= 2 && val.startsWith('"') && val.endsWith('"')) {
    try {
      const s: unknown = JSON.parse(val);
      if (typeof s === 'string') return s;
    } catch {
      return val;
    }
  }
  if (val.length >= 2 && val.startsWith('`') && val.endsWith('`') && !val.slice(1, -1).includes('`'))
    return val.slice(1, -1);
  return val;
}

/** Display names of an enum's values, as the original lists them (common prefix omitted). */
export function enumNames(e: EnumInfo): string[] {
  return e.values.map((v) =>
    v.camel.startsWith(e.prefix) && v.camel !== e.prefix ? v.camel.slice(e.prefix.length) : v.camel,
  );
}

function parseEnum(val: string, e: EnumInfo): string {
  const c = camelCase(val).toLowerCase();
  const full = (e.prefix + camelCase(val)).toLowerCase();
  const hit =
    e.values.find((v) => v.camel.toLowerCase() === c) ??
    e.values.find((v) => v.camel.toLowerCase() === full) ??
    (/^\d+$/.test(val) ? e.values.find((v) => v.number === Number(val)) : undefined);
  if (!hit) {
    const help = `, valid values are one of ${enumNames(e).join(', ')}, or ${e.values.map((v) => v.number).join(', ')}`;
    throw new ValueError(`unable to parse ${JSON.stringify(val)} as ${e.name}: invalid format${help}`);
  }
  return hit.name;
}

function parseInt(val: string, t: Extract<Scalar, { kind: 'int' }>): number | string {
  const fail = (why: string): never => {
    throw new ValueError(`unable to parse ${JSON.stringify(val)} as ${t.name}: ${why}`);
  };
  const m = /^([+-]?)(0x[0-9a-f]+|0o?[0-7]+|0b[01]+|[1-9][0-9]*|0)$/i.exec(val.replace(/_/g, ''));
  if (!m) return fail('invalid syntax');
  const digits = (m[2] as string).replace(/^0(?=[0-7])/, '0o');
  let n = BigInt(digits);
  if (m[1] === '-') n = -n;
  const max = t.unsigned ? (1n << BigInt(t.bits)) - 1n : (1n << BigInt(t.bits - 1)) - 1n;
  const min = t.unsigned ? 0n : -(1n << BigInt(t.bits - 1));
  if (n > max || n < min) return fail('value out of range');
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(n)
    : n.toString();
}

/**
 * Converts one command-line value to the JSON value of its type: numbers for integers
 * (strings beyond 2^53, as proto JSON allows), enum value names for enums.
 */
export function parseScalar(val: string, t: Scalar): unknown {
  switch (t.kind) {
    case 'string':
    case 'bytes':
    case 'timestamp':
    case 'duration':
      return val;
    case 'bool':
      if (BOOL_TRUE.has(val)) return true;
      if (BOOL_FALSE.has(val)) return false;
      throw new ValueError(
        `unable to parse ${JSON.stringify(val)} as bool: invalid syntax, valid values are true, false`,
      );
    case 'float': {
      const n = Number(val);
      if (val.trim() === '' || Number.isNaN(n))
        throw new ValueError(`unable to parse ${JSON.stringify(val)} as float64: invalid syntax`);
      return n;
    }
    case 'int':
      return parseInt(val, t);
    case 'enum':
      return parseEnum(val, t.enum);
  }
}

/** Type name used in help and errors. */
export function scalarName(t: Scalar): string {
  switch (t.kind) {
    case 'int':
      return t.name;
    case 'enum':
      return t.enum.name;
    case 'float':
      return 'float64';
    default:
      return t.kind;
  }
}
