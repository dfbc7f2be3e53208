import { create, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';
import type { ObjectRegistry, ObjectType, ReferenceValue } from '@edge/proto';

type Obj = Record<string, unknown>;

/** A referenced object, as an instance of its type holding only the key. */
export interface ResolvedRef {
  readonly target: ObjectType;
  readonly holder: Message;
  readonly ref: ReferenceValue;
}

function valueAt(obj: Obj, schema: DescMessage, path: string): unknown {
  let cur: unknown = obj;
  let msg: DescMessage | undefined = schema;
  for (const part of path.split('.')) {
    const f: DescField | undefined = msg?.fields.find((x) => x.name === part);
    if (!f || typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Obj)[f.localName];
    msg = f.fieldKind === 'message' ? f.message : undefined;
  }
  return cur;
}

/**
 * The key a reference names. Key-typed references are the key itself. A by-name
 * reference (a plain string such as ClusterInst.auto_scale_policy) names an object in
 * the referrer's own scope: the target key takes `name` from the value, `organization`
 * from the referrer's RBAC org field, and `cloudlet_key` from the referrer's key.
 */
export function resolveRef(
  referrer: ObjectType,
  obj: Message,
  rv: ReferenceValue,
  reg: ObjectRegistry,
): ResolvedRef {
  const target = reg.get(rv.ref.target);
  const keySchema = target.keySchema;
  const keyField = target.keyField;
  if (!keySchema || !keyField) throw new Error(`${target.name} has no key message`);
  let key: Message;
  if (!rv.ref.byName) {
    key = create(keySchema, rv.value as Obj);
  } else {
    const init: Obj = {};
    for (const f of keySchema.fields) {
      if (f.name === 'name') init[f.localName] = rv.value;
      else if (f.name === 'organization' && referrer.rbacOrgField)
        init[f.localName] = valueAt(obj as unknown as Obj, referrer.schema, referrer.rbacOrgField);
      else if (f.name === 'cloudlet_key' && referrer.keySchema)
        init[f.localName] = valueAt(
          obj as unknown as Obj,
          referrer.schema,
          `${referrer.keyField?.name}.cloudlet_key`,
        );
    }
    key = create(keySchema, init);
  }
  return { target, holder: create(target.schema, { [keyField.localName]: key }), ref: rv };
}

/** Every object `obj` refers to, optionally only at some reference paths. */
export function resolveRefs(
  reg: ObjectRegistry,
  type: ObjectType,
  obj: Message,
  skipPaths: ReadonlySet<string> = new Set(),
): ResolvedRef[] {
  return type
    .referenceValues(obj)
    .filter((rv) => !skipPaths.has(rv.ref.path.join('.')))
    .map((rv) => resolveRef(type, obj, rv, reg));
}

/** An object that refers to another one. */
export interface Referrer {
  readonly type: ObjectType;
  readonly obj: Message;
  /** Path of the referring field, e.g. `default_flavor`. */
  readonly path: string;
}

/**
 * Stored user objects referring to `target`'s instance `obj`. Info and Refs objects
 * (system records about an object) never count. `list(type)` lists the cache.
 */
export function findReferrers(
  reg: ObjectRegistry,
  target: ObjectType,
  obj: Message,
  list: (type: ObjectType) => readonly Message[],
): Referrer[] {
  const want = target.keyJson(obj);
  const out: Referrer[] = [];
  for (const type of reg.all()) {
    if (!type.stored || type.infoFor || type.name.endsWith('Refs')) continue;
    if (!type.references.some((r) => r.target === target.name)) continue;
    for (const candidate of list(type)) {
      for (const rv of type.referenceValues(candidate)) {
        if (rv.ref.target !== target.name) continue;
        const r = resolveRef(type, candidate, rv, reg);
        if (target.keyJson(r.holder) === want)
          out.push({ type, obj: candidate, path: rv.ref.path.join('.') });
      }
    }
  }
  return out;
}
