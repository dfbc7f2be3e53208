import { create, getOption, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { options } from '@edge/proto';

type Obj = Record<string, unknown>;

/**
 * Resolves one update-mask entry to its field path. Entries are the original's tag
 * paths (`"2.1"`, `"9"`) or field-name paths (`"key.organization"`, `"default_flavor"`,
 * lowerCamel accepted).
 */
export function resolveFieldPath(schema: DescMessage, spec: string): DescField[] | undefined {
  const path: DescField[] = [];
  let msg: DescMessage | undefined = schema;
  for (const part of spec.split('.')) {
    if (!msg) return undefined;
    const m: DescMessage = msg;
    const f = /^\d+$/.test(part)
      ? m.fields.find((x) => x.number === Number(part))
      : m.fields.find((x) => x.name === part || x.localName === part);
    if (!f) return undefined;
    path.push(f);
    msg = f.fieldKind === 'message' ? f.message : undefined;
  }
  return path;
}

/** `default_flavor.name` → `Default Flavor Name`, as the original names fields in messages. */
export function fieldDisplayName(path: readonly DescField[]): string {
  return path
    .flatMap((f) => f.name.split('_'))
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * Checks an update's field mask and returns the paths to copy: key fields are skipped
 * (they only identify the object), system-set (`backend`) fields are refused with the
 * original's message, unknown entries are refused.
 */
export function updatePaths(
  schema: DescMessage,
  keyFieldName: string | undefined,
  fields: readonly string[],
): DescField[][] {
  if (fields.length === 0) throw invalidArgument('nothing specified to update');
  const out: DescField[][] = [];
  const bad: string[] = [];
  for (const spec of fields) {
    const path = resolveFieldPath(schema, spec);
    if (!path) throw invalidArgument(`invalid field specified: ${spec}`);
    if (path[0]?.name === keyFieldName) continue;
    if (path.some((f) => getOption(f, options.backend))) bad.push(fieldDisplayName(path));
    else out.push(path);
  }
  if (bad.length) throw invalidArgument(`specified field(s) ${bad.join(',')} cannot be modified`);
  return out;
}

/** Copies the value at each path from `src` into `dst`, creating intermediate messages. */
export function copyPaths(dst: Message, src: Message, paths: readonly (readonly DescField[])[]): void {
  for (const path of paths) {
    let d = dst as unknown as Obj;
    let s = src as unknown as Obj;
    path.forEach((f, i) => {
      if (i === path.length - 1) {
        d[f.localName] = s[f.localName];
      } else if (f.fieldKind === 'message') {
        d[f.localName] ??= create(f.message);
        d = d[f.localName] as Obj;
        s = (s[f.localName] ?? create(f.message)) as Obj;
      }
    });
  }
}
