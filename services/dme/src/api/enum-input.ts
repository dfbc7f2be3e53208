import type { DescField, DescMessage, DescMethod, JsonValue } from '@bufbuild/protobuf';

/**
 * Rewrites enum values of request JSON given as short names (`FOUND` for `FIND_FOUND`,
 * `TCP`) into full names; full names and numbers pass through (protobuf JSON accepts them).
 * Used as the gateway's `transformInput`.
 */
export function acceptEnumShortNames(json: JsonValue, method: DescMethod): JsonValue {
  return rewrite(json, method.input);
}

function rewrite(json: JsonValue, desc: DescMessage): JsonValue {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(json)) {
    const f = desc.fields.find((x) => x.name === k || x.jsonName === k);
    out[k] = f && v !== null ? field(v, f) : v;
  }
  return out;
}

function field(v: JsonValue, f: DescField): JsonValue {
  const one = (x: JsonValue): JsonValue => {
    if (f.fieldKind === 'enum' || (f.fieldKind === 'list' && f.listKind === 'enum')) {
      const e = f.enum!;
      if (typeof x !== 'string' || e.values.some((ev) => ev.name === x)) return x;
      const hit = e.values.find((ev) => ev.localName === x || ev.name.endsWith(`_${x}`));
      return hit ? hit.name : x;
    }
    if (f.fieldKind === 'message' || (f.fieldKind === 'list' && f.listKind === 'message'))
      return rewrite(x, f.message!);
    return x;
  };
  if (f.fieldKind === 'list' && Array.isArray(v)) return v.map(one);
  if (f.fieldKind === 'map') return v;
  return one(v);
}
