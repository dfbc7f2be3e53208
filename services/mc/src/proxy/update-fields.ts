import type { DescMessage } from '@bufbuild/protobuf';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The update mask implied by the fields present in an update's JSON, as the original MC
 * fills `fields` when the client sent none: every leaf path present (`image_path`,
 * `location.latitude`), the `fields` list itself excluded. Names may be snake_case or
 * lowerCamel; the mask uses proto names.
 */
export function fieldsFromJson(schema: DescMessage, json: unknown, prefix = ''): string[] {
  if (!isObject(json)) return [];
  const out: string[] = [];
  for (const f of schema.fields) {
    if (!prefix && f.name === 'fields') continue;
    const v = json[f.name] ?? json[f.jsonName];
    if (v === undefined) continue;
    const path = prefix + f.name;
    if (f.fieldKind === 'message' && isObject(v) && !f.message.typeName.startsWith('google.protobuf.')) {
      const nested = fieldsFromJson(f.message, v, `${path}.`);
      out.push(...(nested.length ? nested : [path]));
    } else out.push(path);
  }
  return out;
}
