import { create, getOption, toJsonString, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';
import {
  NotifyDirection,
  NotifyKind,
  cli_aliases,
  info_for,
  notify_direction,
  notify_filter_cloudlet_key,
  notify_kind,
  object_key_field,
  rbac_org_field,
  rbac_resource,
  singleton,
  stored,
  tracked_state,
} from '../gen/options/options_pb';
import { findReferences, referenceValues, type Reference, type ReferenceValue } from './references';

/**
 * Everything generic code needs to know about one regional object type, read once
 * from its descriptor and custom options.
 */
export interface ObjectType {
  /** Short type name, e.g. `AppInst`: used in etcd keys, errors and notify. */
  readonly name: string;
  /** Fully qualified proto name, e.g. `edgeproto.AppInst`. */
  readonly typeName: string;
  readonly schema: DescMessage;
  /** The key field (`key`); undefined for singletons. */
  readonly keyField: DescField | undefined;
  /** The key message type, e.g. `edgeproto.AppInstKey`. */
  readonly keySchema: DescMessage | undefined;
  readonly singleton: boolean;
  /** Persisted by the Controller in etcd. */
  readonly stored: boolean;
  readonly notifyKind: NotifyKind;
  readonly notifyDirection: NotifyDirection;
  /** A CRM receives only the instances of its own cloudlet. */
  readonly notifyFilterCloudletKey: boolean;
  /** RBAC resource of its RPCs, e.g. `appinsts`, and the field holding the org. */
  readonly rbacResource: string;
  readonly rbacOrgField: string;
  /** CLI short names → proto field paths, e.g. `appname` → `key.app_key.name`. */
  readonly cliAliases: Readonly<Record<string, string>>;
  /** Goes through the TrackedState machine. */
  readonly trackedState: boolean;
  /** For *Info types: the object whose state it reports. */
  readonly infoFor: string | undefined;
  /** Fields that name other objects. */
  readonly references: readonly Reference[];
  /** The key of an instance (a fresh empty key when unset). */
  keyOf(obj: Message): Message;
  /** JSON of the key with proto field names, zero fields omitted, e.g. `{"organization":"o","name":"a","version":"1"}`. */
  keyJson(obj: Message): string;
  /** `<Type>/<key JSON>` (just `<Type>` for singletons): the type-qualified key used in etcd paths. */
  keyString(obj: Message): string;
  /** Values of the instance's references. */
  referenceValues(obj: Message): ReferenceValue[];
}

function parseAliases(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of spec.split(',')) {
    const [alias, path] = pair.split('=').map((s) => s.trim());
    if (alias && path) out[alias] = path;
  }
  return out;
}

/** Builds the ObjectType of a message marked with `object_key_field` or `singleton`. */
export function objectTypeOf(schema: DescMessage): ObjectType {
  const isSingleton = getOption(schema, singleton);
  const keyFieldName = getOption(schema, object_key_field);
  const keyField = isSingleton ? undefined : schema.fields.find((f) => f.name === keyFieldName);
  if (!isSingleton && (!keyField || keyField.fieldKind !== 'message')) {
    throw new Error(`${schema.typeName}: object_key_field "${keyFieldName}" is not a message field`);
  }
  const keySchema = keyField?.fieldKind === 'message' ? keyField.message : undefined;
  const name = schema.name;
  const references = findReferences(schema);
  const keyOf = (obj: Message): Message => {
    if (!keyField || !keySchema) throw new Error(`${name} is a singleton and has no key`);
    const k = (obj as unknown as Record<string, unknown>)[keyField.localName] as Message | undefined;
    return k ?? create(keySchema);
  };
  const keyJson = (obj: Message): string =>
    keySchema ? toJsonString(keySchema, keyOf(obj), { useProtoFieldName: true }) : '';
  return {
    name,
    typeName: schema.typeName,
    schema,
    keyField,
    keySchema,
    singleton: isSingleton,
    stored: getOption(schema, stored),
    notifyKind: getOption(schema, notify_kind),
    notifyDirection: getOption(schema, notify_direction),
    notifyFilterCloudletKey: getOption(schema, notify_filter_cloudlet_key),
    rbacResource: getOption(schema, rbac_resource),
    rbacOrgField: getOption(schema, rbac_org_field),
    cliAliases: parseAliases(getOption(schema, cli_aliases)),
    trackedState: getOption(schema, tracked_state),
    infoFor: getOption(schema, info_for) || undefined,
    references,
    keyOf,
    keyJson,
    keyString: (obj) => (keySchema ? `${name}/${keyJson(obj)}` : name),
    referenceValues: (obj) => referenceValues(schema, obj, references),
  };
}
