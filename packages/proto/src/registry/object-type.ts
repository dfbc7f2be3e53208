import {
  ScalarType,
  create,
  getOption,
  toJsonString,
  type DescField,
  type DescMessage,
  type Message,
} from '@bufbuild/protobuf';
import { compileKeyJson } from './key-json';
import {
  type NotifyDirection,
  type NotifyKind,
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
  /** The key field: usually the `key` message; `code` (string) for OperatorCode, `labels` (map) for Alert; undefined for singletons. */
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
  /** The key of an instance: a key message (a fresh empty one when unset), a string or a map. */
  keyOf(obj: Message): unknown;
  /**
   * The key as text, as the original renders it in errors and etcd keys: JSON of a key
   * message with proto field names in declaration order and zero fields omitted (e.g.
   * `{"organization":"o","name":"a","version":"1"}`), a string key as is, a map key as
   * JSON with sorted keys.
   */
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
  const keyKind = keyField?.fieldKind;
  const stringKey = keyField?.fieldKind === 'scalar' && keyField.scalar === ScalarType.STRING;
  if (!isSingleton && !(keyKind === 'message' || keyKind === 'map' || stringKey)) {
    throw new Error(
      `${schema.typeName}: object_key_field "${keyFieldName}" is not a message, string or map field`,
    );
  }
  const keySchema = keyField?.fieldKind === 'message' ? keyField.message : undefined;
  const name = schema.name;
  const references = findReferences(schema);
  const keyOf = (obj: Message): unknown => {
    if (!keyField) throw new Error(`${name} is a singleton and has no key`);
    const k = (obj as unknown as Record<string, unknown>)[keyField.localName];
    return k ?? (keySchema ? create(keySchema) : k);
  };
  const fastKeyJson = keySchema ? compileKeyJson(keySchema) : undefined;
  const keyJson = (obj: Message): string => {
    if (!keyField) return '';
    const k = keyOf(obj);
    if (fastKeyJson) return fastKeyJson(k as Message);
    if (keySchema) return toJsonString(keySchema, k as Message, { useProtoFieldName: true });
    if (typeof k === 'string') return k;
    const map = k as Record<string, string>;
    return JSON.stringify(
      Object.fromEntries(
        Object.keys(map)
          .sort()
          .map((key) => [key, map[key]]),
      ),
    );
  };
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
    keyString: (obj) => (keyField ? `${name}/${keyJson(obj)}` : name),
    referenceValues: (obj) => referenceValues(schema, obj, references),
  };
}
