import { create, fromJsonString, toJsonString, type Message } from '@bufbuild/protobuf';
import type { ObjectRegistry, ObjectType } from '@edge/proto';

/** The object type a CRM connection is scoped to. */
export const CLOUDLET = 'Cloudlet';
const CLOUDLET_POOL = 'CloudletPool';

/**
 * How an object of a cloudlet-filtered type (`notify_filter_cloudlet_key`) relates to a
 * CRM's cloudlets, read from the schema's references:
 * - `cloudlet`: the Cloudlet itself (its key must be one of the connection's);
 * - `on-cloudlet`: names a Cloudlet (ClusterInst, AppInst): that cloudlet must be one of
 *   the connection's and READY;
 * - `used-by-cloudlet`: named by Cloudlet (VMPool): one of the connection's cloudlets names it;
 * - `pool-org`: names a CloudletPool (TrustPolicyException): the pool's organization is
 *   the organization of one of the connection's cloudlets;
 * - `always`: anything else (App): updates always pass.
 */
export type CloudletScope = 'cloudlet' | 'on-cloudlet' | 'used-by-cloudlet' | 'pool-org' | 'always';

/** The scope of type `t` (see {@link CloudletScope}). */
export function cloudletScope(reg: ObjectRegistry, t: ObjectType): CloudletScope {
  if (t.name === CLOUDLET) return 'cloudlet';
  if (t.references.some((r) => r.target === CLOUDLET && !r.byName)) return 'on-cloudlet';
  if (reg.get(CLOUDLET).references.some((r) => r.target === t.name)) return 'used-by-cloudlet';
  if (t.references.some((r) => r.target === CLOUDLET_POOL && !r.byName)) return 'pool-org';
  return 'always';
}

/** An otherwise empty object of type `t` holding the key `keyJson` (for deletes, which carry only the key). */
export function objectOfKey(t: ObjectType, keyJson: string): Message {
  const obj = create(t.schema) as unknown as Record<string, unknown>;
  if (t.keyField) {
    obj[t.keyField.localName] = t.keySchema
      ? fromJsonString(t.keySchema, keyJson, { ignoreUnknownFields: true })
      : t.keyField.fieldKind === 'map'
        ? (JSON.parse(keyJson) as Record<string, string>)
        : keyJson;
  }
  return obj as unknown as Message;
}

/** Key JSON of a referenced object: a key message, or (by name) `{organization, name}` with the referrer's org. */
export function referencedKeyJson(target: ObjectType, value: unknown, byName: boolean, org: string): string {
  if (!target.keySchema) return String(value);
  const key = byName
    ? create(target.keySchema, { organization: org, name: String(value) } as never)
    : (value as Message);
  return toJsonString(target.keySchema, key, { useProtoFieldName: true });
}

/** Key JSONs of the objects of type `target` that `obj` (of type `t`) names. */
export function referencesTo(
  reg: ObjectRegistry,
  t: ObjectType,
  obj: Message,
  target: string,
  org = '',
): string[] {
  const tt = reg.get(target);
  return t
    .referenceValues(obj)
    .filter((v) => v.ref.target === target)
    .map((v) => referencedKeyJson(tt, v.value, v.ref.byName, org));
}
