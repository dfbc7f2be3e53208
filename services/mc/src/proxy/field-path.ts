import type { DescField, DescMessage, Message } from '@bufbuild/protobuf';

/**
 * The value at a proto field-name path (`key.app_key.organization`) of a message, or
 * undefined when a segment is not a field or an intermediate message is unset.
 */
export function valueAt(schema: DescMessage, msg: Message, path: string): unknown {
  let s: DescMessage | undefined = schema;
  let v: unknown = msg;
  for (const seg of path.split('.')) {
    const f: DescField | undefined = s?.fields.find((x) => x.name === seg);
    if (!f || v === undefined || v === null) return undefined;
    v = (v as Record<string, unknown>)[f.localName];
    s = f.fieldKind === 'message' ? f.message : undefined;
  }
  return v;
}

/** The string at `path` ('' when absent or not a string). */
export function stringAt(schema: DescMessage, msg: Message, path: string): string {
  if (!path) return '';
  const v = valueAt(schema, msg, path);
  return typeof v === 'string' ? v : '';
}

/** The parent path of `a.b.c` (`a.b`), '' for a single segment. */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? '' : path.slice(0, i);
}
