import { ScalarType, getOption, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { options } from '@edge/proto';

/** A leaf value type of an argument. */
export type Scalar =
  | { readonly kind: 'string' | 'bool' | 'float' | 'bytes' | 'timestamp' | 'duration' }
  | { readonly kind: 'int'; readonly name: string; readonly bits: 32 | 64; readonly unsigned: boolean }
  | { readonly kind: 'enum'; readonly enum: EnumInfo };

/** An enum as the CLI accepts it: by proto name, CamelCase name (with or without prefix) or number. */
export interface EnumInfo {
  readonly name: string;
  /** CamelCase of the type name, the prefix the original omits in names (`ImageType`). */
  readonly prefix: string;
  readonly values: readonly { readonly name: string; readonly camel: string; readonly number: number }[];
}

/** One field of a request structure, as addressed by an argument name. */
export interface FieldDef {
  /** Argument name: the lowercased Go field name (`imagepath`, `appkey`). */
  readonly arg: string;
  /** Key sent in the JSON body (proto field name, or the Go name for MC-local structs). */
  readonly json: string;
  /** Proto field number as text ('' for MC-local structs): the unit of update `fields`. */
  readonly id: string;
  readonly shape: 'single' | 'list' | 'map';
  /** The value type (for lists the element, for maps the value). */
  readonly type: Scalar | StructType;
  /** Set by the system, not accepted on create/update. */
  readonly backend: boolean;
}

/** A structure whose fields arguments can address. */
export interface StructType {
  readonly kind: 'struct';
  readonly name: string;
  fields(): readonly FieldDef[];
  /** The field an argument path segment names (case-insensitive, `_` ignored). */
  field(arg: string): FieldDef | undefined;
}

/** True for a nested structure, false for a leaf value type. */
export const isStruct = (t: Scalar | StructType): t is StructType => t.kind === 'struct';

const norm = (s: string): string => s.toLowerCase().replace(/_/g, '');

/** `IMAGE_TYPE_DOCKER` / `image_type` → `ImageTypeDocker` / `ImageType` (the Go generator's CamelCase). */
export function camelCase(s: string): string {
  return s
    .toLowerCase()
    .split('_')
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Argument name of a proto field as the original derives it: lowercased Go field name. */
export const protoArgName = (protoName: string): string => camelCase(protoName).toLowerCase();

function makeStruct(name: string, build: () => FieldDef[]): StructType {
  let cached: FieldDef[] | undefined;
  let byArg: Map<string, FieldDef> | undefined;
  const fields = (): FieldDef[] => (cached ??= build());
  return {
    kind: 'struct',
    name,
    fields,
    field(arg) {
      byArg ??= new Map(fields().map((f) => [norm(f.arg), f]));
      return byArg.get(norm(arg));
    },
  };
}

function enumInfo(e: DescEnum): EnumInfo {
  return {
    name: e.name,
    prefix: e.name,
    values: e.values.map((v) => ({ name: v.name, camel: camelCase(v.name), number: v.number })),
  };
}

function scalarOf(t: ScalarType): Scalar {
  switch (t) {
    case ScalarType.STRING:
      return { kind: 'string' };
    case ScalarType.BOOL:
      return { kind: 'bool' };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { kind: 'float' };
    case ScalarType.BYTES:
      return { kind: 'bytes' };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { kind: 'int', name: 'int32', bits: 32, unsigned: false };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { kind: 'int', name: 'uint32', bits: 32, unsigned: true };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { kind: 'int', name: 'uint64', bits: 64, unsigned: true };
    default:
      return { kind: 'int', name: 'int64', bits: 64, unsigned: false };
  }
}

/**
 * Builds StructTypes of proto messages; one builder shares one cache, so recursive
 * messages resolve lazily to the same instance.
 */
export function protoStructs(): (desc: DescMessage) => StructType {
  const cache = new Map<string, StructType>();
  const wellKnown = (m: DescMessage): Scalar | undefined =>
    m.typeName === 'google.protobuf.Timestamp'
      ? { kind: 'timestamp' }
      : m.typeName === 'google.protobuf.Duration'
        ? { kind: 'duration' }
        : undefined;
  const typeOf = (f: DescField): { shape: FieldDef['shape']; type: Scalar | StructType } => {
    switch (f.fieldKind) {
      case 'scalar':
        return { shape: 'single', type: scalarOf(f.scalar) };
      case 'enum':
        return { shape: 'single', type: { kind: 'enum', enum: enumInfo(f.enum) } };
      case 'message':
        return { shape: 'single', type: wellKnown(f.message) ?? structOf(f.message) };
      case 'list':
        if (f.listKind === 'scalar') return { shape: 'list', type: scalarOf(f.scalar) };
        if (f.listKind === 'enum') return { shape: 'list', type: { kind: 'enum', enum: enumInfo(f.enum) } };
        return { shape: 'list', type: wellKnown(f.message) ?? structOf(f.message) };
      case 'map':
        if (f.mapKind === 'scalar') return { shape: 'map', type: scalarOf(f.scalar) };
        if (f.mapKind === 'enum') return { shape: 'map', type: { kind: 'enum', enum: enumInfo(f.enum) } };
        return { shape: 'map', type: structOf(f.message) };
    }
  };
  const structOf = (desc: DescMessage): StructType => {
    let t = cache.get(desc.typeName);
    if (t) return t;
    t = makeStruct(desc.name, () =>
      desc.fields.map((f) => ({
        arg: protoArgName(f.name),
        json: f.name,
        id: String(f.number),
        backend: getOption(f, options.backend),
        ...typeOf(f),
      })),
    );
    cache.set(desc.typeName, t);
    return t;
  };
  return structOf;
}

/** Field types of MC-local structs, keyed by their Go (JSON) name. */
export type LocalSpec =
  'string' | 'bool' | 'int' | 'float' | 'strings' | 'stringmap' | StructType | { readonly list: StructType };

/** A struct of the MC's own API (Go field names as JSON keys, lowercased as argument names). */
export function localStruct(name: string, spec: Readonly<Record<string, LocalSpec>>): StructType {
  return makeStruct(name, () =>
    Object.entries(spec).map(([json, s]): FieldDef => {
      const base = { arg: json.toLowerCase(), json, id: '', backend: false };
      if (typeof s === 'object' && 'list' in s) return { ...base, shape: 'list', type: s.list };
      if (typeof s === 'object') return { ...base, shape: 'single', type: s };
      switch (s) {
        case 'strings':
          return { ...base, shape: 'list', type: { kind: 'string' } };
        case 'stringmap':
          return { ...base, shape: 'map', type: { kind: 'string' } };
        case 'int':
          return { ...base, shape: 'single', type: { kind: 'int', name: 'int', bits: 64, unsigned: false } };
        default:
          return { ...base, shape: 'single', type: { kind: s } };
      }
    }),
  );
}
