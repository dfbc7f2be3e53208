import { getOption, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { refers_to } from '../gen/options/options_pb';

/** One place in an object that names another object. */
export interface Reference {
  /** Proto field names from the object's root, e.g. `["key", "app_key"]`. */
  readonly path: readonly string[];
  /** The referenced object type, e.g. `App`. */
  readonly target: string;
  /** True when the field holds a plain name (string) rather than the target's key message. */
  readonly byName: boolean;
}

/** A value found at a reference path in one object instance. */
export interface ReferenceValue {
  readonly ref: Reference;
  /** The key message (or the name when `ref.byName`). Zero values are skipped. */
  readonly value: unknown;
}

function messageOf(field: DescField): DescMessage | undefined {
  if (field.fieldKind === 'message') return field.message;
  if (field.fieldKind === 'list' && field.listKind === 'message') return field.message;
  if (field.fieldKind === 'map' && field.mapKind === 'message') return field.message;
  return undefined;
}

/**
 * Collects every field under `schema` annotated with `(edge.options.refers_to)`,
 * descending into nested messages (lists and map values included, and referencing
 * fields themselves). Well-known
 * types are not descended into, and each message type is entered once per path.
 */
export function findReferences(schema: DescMessage): Reference[] {
  const out: Reference[] = [];
  const walk = (msg: DescMessage, prefix: string[], seen: ReadonlySet<string>): void => {
    for (const field of msg.fields) {
      const path = [...prefix, field.name];
      const target = getOption(field, refers_to);
      const sub = messageOf(field);
      // A reference may itself hold references (an AppInst's cluster key names its cloudlet).
      if (target) out.push({ path, target, byName: sub === undefined });
      if (sub && !sub.typeName.startsWith('google.protobuf.') && !seen.has(sub.typeName)) {
        walk(sub, path, new Set([...seen, sub.typeName]));
      }
    }
  };
  walk(schema, [], new Set([schema.typeName]));
  return out;
}

function isZero(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0 || v === false;
}

/** The values an object instance holds at each reference, lists and maps expanded. */
export function referenceValues(
  schema: DescMessage,
  obj: object,
  refs: readonly Reference[],
): ReferenceValue[] {
  const out: ReferenceValue[] = [];
  for (const ref of refs) {
    const visit = (msg: DescMessage, value: unknown, depth: number): void => {
      if (isZero(value) || typeof value !== 'object') return;
      const field = msg.fields.find((f) => f.name === ref.path[depth]);
      if (!field) return;
      const raw = (value as Record<string, unknown>)[field.localName];
      const items =
        field.fieldKind === 'list'
          ? (raw as unknown[])
          : field.fieldKind === 'map'
            ? Object.values(raw as Record<string, unknown>)
            : [raw];
      const last = depth === ref.path.length - 1;
      for (const item of items) {
        if (last) {
          if (!isZero(item)) out.push({ ref, value: item });
        } else {
          const sub = messageOf(field);
          if (sub) visit(sub, item, depth + 1);
        }
      }
    };
    visit(schema, obj, 0);
  }
  return out;
}
