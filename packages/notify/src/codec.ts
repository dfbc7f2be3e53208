import { create, fromJsonString, type Message, type Registry } from '@bufbuild/protobuf';
import type { ObjectRegistry } from '@edge/proto';

/**
 * What the type-agnostic engine needs to know about the objects it carries: how to unpack
 * them from `Any`, the key JSON of one, and how to build the key-only message a DELETE
 * carries. Both sides of a stream need it.
 */
export interface NotifyCodec {
  /** Resolves `type.googleapis.com/<type>` when unpacking (e.g. `createRegistry(...allFiles)`). */
  readonly registry: Registry;
  /** The key JSON of `obj` (the registry's `keyJson`), as `Change.key`. */
  keyJson(type: string, obj: Message): string;
  /** An otherwise empty `type` message with only its key set from `key` (key JSON). */
  keyOnly(type: string, key: string): Message;
}

/**
 * A codec for the object types of `objects`, unpacking with `registry`. Types that are not
 * objects (one-shot messages such as Metric) have the empty key.
 *
 * @example
 *   const codec = registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));
 *   new NotifyServer({ ...codec, source, … });
 */
export function registryCodec(objects: ObjectRegistry, registry: Registry): NotifyCodec {
  return {
    registry,
    keyJson: (type, obj) => objects.find(type)?.keyJson(obj) ?? '',
    keyOnly: (type, key) => {
      const t = objects.find(type);
      if (!t) throw new Error(`notify: ${type} is not an object type`);
      const msg = create(t.schema) as Message & Record<string, unknown>;
      const field = t.keyField;
      if (!field) return msg;
      if (t.keySchema) msg[field.localName] = fromJsonString(t.keySchema, key);
      else if (field.fieldKind === 'map') msg[field.localName] = JSON.parse(key) as Record<string, string>;
      else msg[field.localName] = key;
      return msg;
    },
  };
}
