import { isStruct, type FieldDef, type StructType } from './struct-type';
import { ValueError, parseScalar, unquote } from './values';

/** A command-line input error; `message` is what mcctl prints after `Error: `. */
export class ArgsError extends Error {
  override readonly name = 'ArgsError';
}

/** How a command reads its `name=value` arguments. */
export interface ArgsSpec {
  /** The request body's structure. */
  readonly root: StructType;
  /** Argument names (aliases as the user types them) that must be given. */
  readonly required: readonly string[];
  /** Short name → full argument path (`appname` → `appinst.key.appkey.name`); `:#.` marks list indices. */
  readonly aliases: Readonly<Record<string, string>>;
  /** Refuse fields the system sets (create/update/delete), with `invalid args: …`. */
  readonly rejectBackend?: boolean;
}

/** JSON object built from arguments. */
export type JsonObject = Record<string, unknown>;

const EMPTY = 'empty';

/** Canonical form of an argument path: lowercase, `_` removed (`key.app_key` ≡ `key.appkey`). */
export const canonPath = (p: string): string => p.toLowerCase().replace(/_/g, '');
const ARRAY_NUMS = /:\d+\./g;

/** Resolves a short name to its full path, carrying list indices (`list:1.x` via `list:#.x`) and `:empty`. */
export function resolveAlias(name: string, aliases: Readonly<Record<string, string>>): string {
  const emptySuffix = `:${EMPTY}`;
  if (name.endsWith(emptySuffix)) {
    const whole = aliases[name];
    if (whole !== undefined) return whole;
    const trimmed = aliases[name.slice(0, -emptySuffix.length)];
    return trimmed !== undefined ? trimmed + emptySuffix : name;
  }
  const indices = name.match(ARRAY_NUMS);
  if (!indices) return aliases[name] ?? name;
  const generic = aliases[name.replace(ARRAY_NUMS, ':#.')];
  if (generic === undefined) return name;
  let i = 0;
  return generic.replace(/:#\./g, (m) => indices[i++] ?? m);
}

/** The fields a dotted argument path walks through (indices and `:empty` ignored); undefined if any is unknown. */
export function lookupPath(root: StructType, path: string): FieldDef[] | undefined {
  const parts = path.replace(`:${EMPTY}`, '').replace(ARRAY_NUMS, '.').split('.');
  const out: FieldDef[] = [];
  let cur: StructType | undefined = root;
  for (const part of parts) {
    const f: FieldDef | undefined = cur?.field(part);
    if (!f) return undefined;
    out.push(f);
    cur = isStruct(f.type) ? f.type : undefined;
  }
  return out;
}

function subObject(cur: JsonObject, key: string, index: number): JsonObject {
  if (index >= 0) {
    let arr = cur[key];
    if (!Array.isArray(arr)) cur[key] = arr = [];
    const list = arr as JsonObject[];
    while (list.length <= index) list.push({});
    return list[index] as JsonObject;
  }
  const sub = cur[key];
  if (typeof sub === 'object' && sub !== null && !Array.isArray(sub)) return sub as JsonObject;
  const fresh: JsonObject = {};
  cur[key] = fresh;
  return fresh;
}

function setValue(dat: JsonObject, fields: FieldDef[], key: string, val: string): void {
  const parts = key.split('.');
  let cur = dat;
  parts.forEach((part, i) => {
    const f = fields[i] as FieldDef;
    if (i < parts.length - 1) {
      const m = /^(.*):(\d+)$/.exec(part);
      cur = subObject(cur, f.json, m ? Number(m[2]) : -1);
      return;
    }
    if (part.endsWith(`:${EMPTY}`)) {
      if (!parseScalar(val, { kind: 'bool' })) return;
      cur[f.json] = f.shape === 'list' ? [] : f.shape === 'map' ? {} : null;
      return;
    }
    if (isStruct(f.type)) throw new ValueError(`unable to parse ${JSON.stringify(val)} as ${f.type.name}`);
    if (f.shape === 'list') {
      const prev = cur[f.json];
      cur[f.json] = [...(Array.isArray(prev) ? prev : []), parseScalar(val, f.type)];
    } else if (f.shape === 'map') {
      const eq = val.indexOf('=');
      if (eq < 0) throw new ValueError(`value "${val}" must be formatted as key=value`);
      const prev = cur[f.json];
      const map = (typeof prev === 'object' && prev !== null ? prev : {}) as JsonObject;
      map[val.slice(0, eq)] = parseScalar(unquote(val.slice(eq + 1)), f.type);
      cur[f.json] = map;
    } else {
      cur[f.json] = parseScalar(val, f.type);
    }
  });
}

/**
 * Turns `name=value` arguments into the JSON request body, as the original CLI does:
 * aliases, dotted paths, `list:N.field=`, `map=K=V`, `field:empty=true`, typed values.
 * Throws ArgsError with the original's messages.
 */
export function parseArgs(args: readonly string[], spec: ArgsSpec): JsonObject {
  const dat: JsonObject = {};
  const required = new Map(spec.required.map((r) => [canonPath(resolveAlias(r, spec.aliases)), r]));
  const rejected: string[] = [];
  for (const raw of args) {
    const arg = raw.trim();
    const eq = arg.indexOf('=');
    if (eq < 0) throw new ArgsError(`arg "${arg}" not name=val format`);
    const name = arg.slice(0, eq);
    let key = resolveAlias(name, spec.aliases);
    // `power_state` and `Power_State` name what `powerstate` names.
    if (key === name && canonPath(name) !== name) key = resolveAlias(canonPath(name), spec.aliases);
    required.delete(canonPath(key));
    const fields = lookupPath(spec.root, key);
    const lookupKey = key.replace(`:${EMPTY}`, '').replace(ARRAY_NUMS, '.');
    if (!fields) {
      throw new ArgsError(`parsing arg "${arg}" failed: invalid argument: key "${lookupKey}" not found`);
    }
    if (spec.rejectBackend && fields.some((f) => f.backend)) {
      rejected.push(arg.slice(0, eq));
      continue;
    }
    try {
      setValue(dat, fields, key, unquote(arg.slice(eq + 1)));
    } catch (err) {
      if (err instanceof ValueError) throw new ArgsError(`parsing arg "${arg}" failed: ${err.message}`);
      throw err;
    }
  }
  if (required.size > 0) {
    const missing = [...required.values()];
    throw new ArgsError(`missing required args: ${missing.join(' ')}`);
  }
  if (rejected.length > 0) throw new ArgsError(`invalid args: ${rejected.join(' ')}`);
  return dat;
}
