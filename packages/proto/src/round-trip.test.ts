import {
  ScalarType,
  create,
  createRegistry,
  equals,
  fromBinary,
  fromJson,
  toBinary,
  toJson,
  type DescField,
  type DescMessage,
  type Message,
} from '@bufbuild/protobuf';
import { allFiles } from './gen';

function scalar(t: ScalarType): unknown {
  switch (t) {
    case ScalarType.STRING:
      return 'séance-1';
    case ScalarType.BOOL:
      return true;
    case ScalarType.BYTES:
      return new Uint8Array([1, 2, 255]);
    case ScalarType.DOUBLE:
      return 2.25;
    case ScalarType.FLOAT:
      return 1.5;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return -(2n ** 40n);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return 2n ** 40n;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return -7;
    default:
      return 7;
  }
}

const SKIP_WKT = new Set(['google.protobuf.Any', 'google.protobuf.Struct', 'google.protobuf.Value']);

/** A message with every field set to a non-default value (first member of each oneof). */
function filled(schema: DescMessage, depth = 0): Message {
  const init: Record<string, unknown> = {};
  const value = (f: DescField): unknown => {
    switch (f.fieldKind) {
      case 'scalar':
        return scalar(f.scalar);
      case 'enum':
        return f.enum.values[f.enum.values.length - 1]?.number ?? 0;
      case 'message':
        return filled(f.message, depth + 1);
      case 'list':
        if (f.listKind === 'scalar') return [scalar(f.scalar)];
        if (f.listKind === 'enum') return [f.enum.values[f.enum.values.length - 1]?.number ?? 0];
        return [filled(f.message, depth + 1)];
      case 'map': {
        const v =
          f.mapKind === 'scalar'
            ? scalar(f.scalar)
            : f.mapKind === 'enum'
              ? (f.enum.values[1]?.number ?? 0)
              : filled(f.message, depth + 1);
        const k = f.mapKey === ScalarType.STRING ? 'k1' : f.mapKey === ScalarType.BOOL ? 'true' : '3';
        return { [k]: v };
      }
    }
  };
  for (const f of schema.fields) {
    const sub =
      f.fieldKind === 'message' || f.fieldKind === 'list' || f.fieldKind === 'map' ? f.message : undefined;
    if (sub && (SKIP_WKT.has(sub.typeName) || depth > 4)) continue;
    if (f.oneof) {
      if (f.oneof.fields[0] !== f || init[f.oneof.localName] !== undefined) continue;
      init[f.oneof.localName] = { case: f.localName, value: value(f) };
      continue;
    }
    init[f.localName] = value(f);
  }
  if (schema.typeName === 'google.protobuf.Timestamp')
    return create(schema, { seconds: 1_700_000_000n, nanos: 5000 });
  if (schema.typeName === 'google.protobuf.Duration') return create(schema, { seconds: 90n, nanos: 0 });
  return create(schema, init);
}

const registry = createRegistry(...allFiles);
const messages: DescMessage[] = [];
for (const file of allFiles) {
  if (!['edgeproto', 'distributed_match_engine', 'edge.notify'].includes(file.proto.package)) continue;
  const stack = [...file.messages];
  while (stack.length) {
    const m = stack.shift() as DescMessage;
    messages.push(m);
    stack.push(...m.nestedMessages);
  }
}

describe('every edgeproto, dme and notify message round-trips', () => {
  it('covers the schema', () => {
    expect(messages.length).toBeGreaterThan(60);
    const names = new Set(messages.map((m) => m.typeName));
    for (const n of [
      'distributed_match_engine.RegisterClientRequest',
      'distributed_match_engine.FindCloudletReply',
      'edge.notify.Notice',
    ]) {
      expect(names).toContain(n);
    }
  });

  it.each(messages.map((m) => [m.typeName, m] as const))('%s binary and JSON', (_name, schema) => {
    const msg = filled(schema);
    const bin = fromBinary(schema, toBinary(schema, msg));
    expect(equals(schema, bin, msg)).toBe(true);
    const json = toJson(schema, msg, { registry });
    const back = fromJson(schema, json, { registry });
    expect(equals(schema, back, msg)).toBe(true);
    const snake = toJson(schema, msg, { registry, useProtoFieldName: true });
    expect(equals(schema, fromJson(schema, snake, { registry }), msg)).toBe(true);
  });
});
