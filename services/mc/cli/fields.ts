import type { JsonObject } from './args';
import { isStruct, type StructType } from './struct-type';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The update field ids of the data given, as edge-cloud computes them (cli.GetSpecifiedFields):
 * the proto field number path of every leaf set (`"2.1.1"`), a list of structures adding its
 * own id and its elements' field ids, sorted as strings.
 */
export function specifiedFields(data: JsonObject, t: StructType): string[] {
  const walk = (dat: JsonObject, st: StructType, prefix: string[]): string[] => {
    const out: string[] = [];
    for (const [key, val] of Object.entries(dat)) {
      const f = st.field(key);
      if (!f || f.id === '') continue;
      const path = [...prefix, f.id];
      if (isStruct(f.type) && f.shape === 'single' && isObject(val) && Object.keys(val).length > 0) {
        out.push(...walk(val, f.type, path));
      } else if (isStruct(f.type) && f.shape === 'list' && Array.isArray(val) && val.length > 0) {
        out.push(path.join('.'));
        const sub = new Set<string>();
        for (const el of val) if (isObject(el)) for (const s of walk(el, f.type, path)) sub.add(s);
        out.push(...[...sub].sort());
      } else {
        out.push(path.join('.'));
      }
    }
    return out;
  };
  return walk(data, t, []).sort();
}

/**
 * Renames the keys of --data/--datafile input to the JSON names the MC expects: YAML input
 * uses lowercased field names (`imagepath`), JSON input proto names (`image_path`) — both are
 * matched case-insensitively with `_` ignored. Map keys and unknown keys are left as they are.
 */
export function toJsonNames(data: unknown, t: StructType): unknown {
  if (!isObject(data)) return data;
  const out: JsonObject = {};
  for (const [key, val] of Object.entries(data)) {
    const f = t.field(key);
    if (!f) {
      out[key] = val;
      continue;
    }
    const sub = isStruct(f.type) ? f.type : undefined;
    if (sub && f.shape === 'list' && Array.isArray(val)) out[f.json] = val.map((v) => toJsonNames(v, sub));
    else if (sub && f.shape === 'single') out[f.json] = toJsonNames(val, sub);
    else out[f.json] = val;
  }
  return out;
}
