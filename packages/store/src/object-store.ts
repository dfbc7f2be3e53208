import { fromJsonString, toJsonString, type Message } from '@bufbuild/protobuf';
import type { ObjectType } from '@edge/proto';
import type { KVStore, Txn } from './kv-store';

/** Anything objects can be read from: a store (outside a transaction) or a transaction. */
export type Reader = Pick<KVStore, 'get'> | Txn;

/** A decoded object with the mod revision it was stored at. */
export interface Stored<T> {
  readonly obj: T;
  readonly modRevision: number;
}

/**
 * How objects of one type live in etcd, under one region: key `<region>/<Type>/<key JSON>`
 * (singletons: `<region>/<Type>`), value protobuf JSON with proto field names, so that
 * `etcdctl get --prefix local/App/` is readable and matches the original Controller.
 *
 * @example
 * const apps = new ObjectStore<edgeproto.App>('local', registry.get('App'));
 * await store.txn(async (tx) => {
 *   if (await apps.get(tx, app)) throw alreadyExists(`App key ${apps.type.keyJson(app)} already exists`);
 *   apps.put(tx, app);
 * });
 * const { objs } = await apps.list(store);
 */
export class ObjectStore<T extends Message = Message> {
  /** Every key of this type starts with it (`local/App/`; the exact key for singletons). */
  readonly prefix: string;

  constructor(
    readonly region: string,
    readonly type: ObjectType,
  ) {
    if (!region || region.includes('/'))
      throw new Error(`invalid region "${region}": must be non-empty without "/"`);
    this.prefix = type.singleton ? `${region}/${type.name}` : `${region}/${type.name}/`;
  }

  /** The etcd key of an object (any message of the type with its key fields set). */
  key(obj: T): string {
    return `${this.region}/${this.type.keyString(obj)}`;
  }

  /** The etcd key of the object whose key renders as `keyJson` (ignored for singletons). */
  keyOfJson(keyJson: string): string {
    return this.type.singleton ? this.prefix : this.prefix + keyJson;
  }

  /** The stored form of an object: protobuf JSON with proto field names. */
  encode(obj: T): string {
    return toJsonString(this.type.schema, obj, { useProtoFieldName: true });
  }

  /** Parses a stored value; unknown fields (written by a newer version) are ignored. Throws on invalid JSON. */
  decode(value: string): T {
    return fromJsonString(this.type.schema, value, { ignoreUnknownFields: true }) as T;
  }

  /** The stored object with the same key as `obj` (inside a txn, the read is part of its read set). */
  async get(from: Reader, obj: T): Promise<T | undefined> {
    return (await this.getWithRevision(from, obj))?.obj;
  }

  /** Like {@link get}, with the object's mod revision. */
  async getWithRevision(from: Reader, obj: T): Promise<Stored<T> | undefined> {
    return this.read(from, this.key(obj));
  }

  /** The stored object whose key renders as `keyJson`. */
  async getByKeyJson(from: Reader, keyJson: string): Promise<T | undefined> {
    return (await this.read(from, this.keyOfJson(keyJson)))?.obj;
  }

  /** Writes `obj` in the transaction. */
  put(tx: Txn, obj: T): void {
    tx.put(this.key(obj), this.encode(obj));
  }

  /** Deletes the object with the same key as `obj` in the transaction. */
  delete(tx: Txn, obj: T): void {
    tx.delete(this.key(obj));
  }

  /** Every stored object of the type, sorted by key, and the revision read at. */
  async list(kv: Pick<KVStore, 'list'>): Promise<{ objs: T[]; revision: number }> {
    const res = await kv.list(this.prefix);
    const kvs = this.type.singleton ? res.kvs.filter((e) => e.key === this.prefix) : res.kvs;
    return { objs: kvs.map((e) => this.decode(e.value)), revision: res.revision };
  }

  private async read(from: Reader, key: string): Promise<Stored<T> | undefined> {
    const kv = await from.get(key);
    return kv ? { obj: this.decode(kv.value), modRevision: kv.modRevision } : undefined;
  }
}
