import { ScalarType, type DescMessage, type Message } from '@bufbuild/protobuf';

/** Writes the JSON of one key message. */
export type KeyJsonWriter = (key: Message) => string;

/**
 * A writer producing exactly `toJsonString(schema, key, { useProtoFieldName: true })` for key
 * schemas made only of string and nested message fields (all of ours), several times faster
 * than the reflective path; undefined for any other shape (callers fall back). Keys are
 * serialised on every store write and notify message, so this is on the hot path.
 */
export function compileKeyJson(schema: DescMessage): KeyJsonWriter | undefined {
  const parts: { name: string; localName: string; nested?: KeyJsonWriter }[] = [];
  // In field-number order, as protobuf JSON writes them.
  for (const f of [...schema.fields].sort((a, b) => a.number - b.number)) {
    if (f.oneof || f.proto.proto3Optional) return undefined;
    const name = JSON.stringify(f.name);
    if (f.fieldKind === 'scalar' && f.scalar === ScalarType.STRING)
      parts.push({ name, localName: f.localName });
    else if (f.fieldKind === 'message') {
      const nested = compileKeyJson(f.message);
      if (!nested) return undefined;
      parts.push({ name, localName: f.localName, nested });
    } else return undefined;
  }
  return (key) => {
    const k = key as unknown as Record<string, unknown>;
    let out = '';
    for (const p of parts) {
      const v = k[p.localName];
      if (p.nested) {
        if (v === undefined) continue;
        out += `${out ? ',' : ''}${p.name}:${p.nested(v as Message)}`;
      } else if (v !== '' && v !== undefined) {
        out += `${out ? ',' : ''}${p.name}:${JSON.stringify(v)}`;
      }
    }
    return `{${out}}`;
  };
}
