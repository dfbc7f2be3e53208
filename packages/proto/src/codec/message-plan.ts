import { create, type DescField, type DescMessage } from '@bufbuild/protobuf';

/** protobuf-es's `FeatureSet.FieldPresence.IMPLICIT` / `LEGACY_REQUIRED`. */
export const IMPLICIT = 2;
export const LEGACY_REQUIRED = 3;

const WRAPPERS = new Set([
  'google.protobuf.DoubleValue',
  'google.protobuf.FloatValue',
  'google.protobuf.Int64Value',
  'google.protobuf.UInt64Value',
  'google.protobuf.Int32Value',
  'google.protobuf.UInt32Value',
  'google.protobuf.BoolValue',
  'google.protobuf.StringValue',
  'google.protobuf.BytesValue',
]);

/** protobuf-es's `isWrapperDesc`. */
function isWrapperDesc(desc: DescMessage): boolean {
  const f = desc.fields[0];
  return WRAPPERS.has(desc.typeName) && f?.fieldKind === 'scalar' && f.name === 'value' && f.number === 1;
}

/**
 * Fields whose local value is not the message itself in protobuf-es (`localMessageMapper`):
 * singular wrapper fields outside a oneof hold the unwrapped scalar, and google.protobuf.Struct
 * fields (outside google.protobuf.Value) hold a JsonObject.
 */
function hasLocalRepresentation(field: DescField): boolean {
  if (field.fieldKind !== 'message' && field.fieldKind !== 'list' && field.fieldKind !== 'map') return false;
  const msg = field.message;
  if (msg === undefined) return false;
  if (msg.typeName === 'google.protobuf.Struct' && field.parent.typeName !== 'google.protobuf.Value')
    return true;
  return field.fieldKind === 'message' && field.oneof === undefined && isWrapperDesc(msg);
}

/**
 * Message types the codec leaves to protobuf-es's reflective `toBinary`/`mergeFromBinary`:
 * those with a field whose local form differs from its wire message (see above). Our schema has
 * none; the generic path keeps the codec exact for any schema.
 */
export function usesReflection(desc: DescMessage): boolean {
  return desc.fields.some(hasLocalRepresentation);
}

/** Fields in protobuf-es's encoding order (by number). */
export function fieldsByNumber(desc: DescMessage): DescField[] {
  return desc.fields.concat().sort((a, b) => a.number - b.number);
}

/**
 * Whether `create()` puts default values on a prototype (proto2, or editions with explicit
 * presence scalars): then decoded messages must share that prototype.
 */
export function messagePrototype(desc: DescMessage): object | undefined {
  const proto = Object.getPrototypeOf(create(desc)) as object;
  return proto === Object.prototype ? undefined : proto;
}

/** A JS source literal for a primitive default, or undefined if it must be passed by reference. */
export function literal(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return String(v);
    case 'bigint':
      return `${v}n`;
    case 'number':
      if (Object.is(v, -0)) return '-0';
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      return String(v);
    default:
      return undefined;
  }
}

/** A property access `obj["name"]` (local names are identifiers, but quoting is always safe). */
export function prop(obj: string, name: string): string {
  return `${obj}[${JSON.stringify(name)}]`;
}

/**
 * Values handed to generated code by reference. `ref()` names one (`k0`, `k1`, ...); the
 * generated function's preamble binds the names from the array `K`.
 */
export class Constants {
  readonly values: unknown[] = [];

  ref(value: unknown): string {
    let i = this.values.indexOf(value);
    if (i < 0) i = this.values.push(value) - 1;
    return `k${i}`;
  }

  preamble(): string {
    return this.values.map((_, i) => `const k${i} = K[${i}];\n`).join('');
  }
}

/** A message or message-list field encoded as a group (proto2 groups, editions DELIMITED). */
export function isDelimited(f: DescField): boolean {
  return (
    (f.fieldKind === 'message' || (f.fieldKind === 'list' && f.listKind === 'message')) && f.delimitedEncoding
  );
}
