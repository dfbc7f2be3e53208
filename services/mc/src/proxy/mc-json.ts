import {
  ScalarType,
  fromJson,
  toJson,
  type DescEnum,
  type DescField,
  type DescMessage,
  type JsonValue,
  type Message,
} from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';

type JsonObject = { [k: string]: JsonValue };

const INT64 = new Set([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);

/** `TRACKED_STATE_UNKNOWN` → `TrackedStateUnknown`: the original's CamelName of an enum value. */
export function camelName(protoName: string): string {
  return protoName
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isWellKnown = (m: DescMessage): boolean => m.typeName.startsWith('google.protobuf.');

/**
 * An edgeproto message as the original MC answers it (Go `encoding/json` of gogo types):
 * proto (snake_case) field names, zero values omitted, enums as CamelName strings
 * (`Ready`, `ImageTypeDocker`), 64-bit integers as numbers.
 */
export function toMcJson(schema: DescMessage, msg: Message): JsonValue {
  const json = toJson(schema, msg, { useProtoFieldName: true });
  return goStyle(schema, json);
}

function goStyle(schema: DescMessage, json: JsonValue): JsonValue {
  if (!isObject(json) || isWellKnown(schema)) return json;
  for (const f of schema.fields) {
    const v = json[f.name];
    if (v === undefined) continue;
    json[f.name] = goField(f, v);
  }
  return json;
}

function goField(f: DescField, v: JsonValue): JsonValue {
  switch (f.fieldKind) {
    case 'scalar':
      return goScalar(f.scalar, v);
    case 'enum':
      return goEnum(f.enum, v);
    case 'message':
      return goStyle(f.message, v);
    case 'list':
      if (!Array.isArray(v)) return v;
      if (f.listKind === 'scalar') return v.map((x) => goScalar(f.scalar, x));
      if (f.listKind === 'enum') return v.map((x) => goEnum(f.enum, x));
      return v.map((x) => goStyle(f.message, x));
    case 'map':
      if (!isObject(v)) return v;
      for (const [k, x] of Object.entries(v)) {
        if (f.mapKind === 'scalar') v[k] = goScalar(f.scalar, x);
        else if (f.mapKind === 'enum') v[k] = goEnum(f.enum, x);
        else v[k] = goStyle(f.message, x);
      }
      return v;
  }
}

function goScalar(t: ScalarType, v: JsonValue): JsonValue {
  if (INT64.has(t) && typeof v === 'string') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return v;
}

function goEnum(e: DescEnum, v: JsonValue): JsonValue {
  if (typeof v !== 'string') return v;
  const value = e.values.find((x) => x.name === v);
  return value ? camelName(value.name) : v;
}

/**
 * Parses an edgeproto object of a request: proto JSON (snake_case or lowerCamel names),
 * enums also as the original's CamelName strings or numbers. Unknown fields are a 400
 * naming the problem.
 */
export function fromMcJson<T extends Message>(schema: DescMessage, json: unknown): T {
  const input =
    json === undefined || json === null ? {} : normalise(schema, structuredClone(json) as JsonValue);
  try {
    return fromJson(schema, input, { ignoreUnknownFields: false }) as T;
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw invalidArgument(`Invalid JSON data: ${msg}`);
  }
}

function normalise(schema: DescMessage, json: JsonValue): JsonValue {
  if (!isObject(json) || isWellKnown(schema)) return json;
  for (const f of schema.fields) {
    for (const name of [f.name, f.jsonName]) {
      const v = json[name];
      if (v === undefined || v === null) continue;
      json[name] = normaliseField(f, v);
    }
  }
  return json;
}

function normaliseField(f: DescField, v: JsonValue): JsonValue {
  switch (f.fieldKind) {
    case 'enum':
      return protoEnum(f.enum, v);
    case 'message':
      return normalise(f.message, v);
    case 'list':
      if (!Array.isArray(v)) return v;
      if (f.listKind === 'enum') return v.map((x) => protoEnum(f.enum, x));
      if (f.listKind === 'message') return v.map((x) => normalise(f.message, x));
      return v;
    case 'map':
      if (!isObject(v)) return v;
      for (const [k, x] of Object.entries(v)) {
        if (f.mapKind === 'enum') v[k] = protoEnum(f.enum, x);
        else if (f.mapKind === 'message') v[k] = normalise(f.message, x);
      }
      return v;
    default:
      return v;
  }
}

function protoEnum(e: DescEnum, v: JsonValue): JsonValue {
  if (typeof v !== 'string' || e.values.some((x) => x.name === v)) return v;
  const value = e.values.find((x) => camelName(x.name) === v);
  return value ? value.name : v;
}
