import { create, type DescField, type DescMessage } from '@bufbuild/protobuf';

type Obj = Record<string, unknown>;

function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === 0n || v === false) return true;
  return v instanceof Uint8Array && v.length === 0;
}

function valueMatches(field: DescField, filter: unknown, value: unknown): boolean {
  if (field.fieldKind === 'message') {
    if (filter === undefined) return true;
    return matches(field.message, filter as Obj, (value ?? create(field.message)) as Obj);
  }
  if (field.fieldKind === 'list') {
    const f = filter as unknown[];
    const v = (value ?? []) as unknown[];
    if (f.length === 0) return true;
    if (f.length !== v.length) return false;
    return f.every((x, i) =>
      field.listKind === 'message' ? matches(field.message, x as Obj, v[i] as Obj) : sameScalar(x, v[i]),
    );
  }
  if (field.fieldKind === 'map') {
    const f = filter as Obj;
    const v = (value ?? {}) as Obj;
    return Object.entries(f).every(
      ([k, x]) =>
        k in v &&
        (field.mapKind === 'message' ? matches(field.message, x as Obj, v[k] as Obj) : sameScalar(x, v[k])),
    );
  }
  return isZero(filter) || sameScalar(filter, value);
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array)
    return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/**
 * Show filtering of the original: `obj` matches `filter` when every non-zero field of
 * the filter equals the object's (recursively; non-empty lists element-wise, maps per
 * entry). The update mask `fields` never filters.
 */
export function matches(schema: DescMessage, filter: Obj, obj: Obj): boolean {
  for (const field of schema.fields) {
    if (field.name === 'fields') continue;
    if (field.oneof) {
      const f = filter[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      if (f?.case !== field.localName) continue;
      const o = obj[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      if (o?.case !== field.localName || !valueMatches(field, f.value, o.value)) return false;
      continue;
    }
    if (!valueMatches(field, filter[field.localName], obj[field.localName])) return false;
  }
  return true;
}
