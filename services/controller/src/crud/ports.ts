import type { Message } from '@bufbuild/protobuf';
import type { ObjectType } from '@edge/proto';

/** Object reads and writes inside one store transaction (serializable, retried on conflict). */
export interface ObjectTxn {
  /** The stored instance with the key of `holder`, if any. */
  get<T extends Message>(type: ObjectType, holder: Message): Promise<T | undefined>;
  put(type: ObjectType, obj: Message): void;
  delete(type: ObjectType, holder: Message): void;
}

/** Transactions over typed objects; resolves once the writer's own cache has seen the commit. */
export interface ObjectStorePort {
  apply<T>(fn: (tx: ObjectTxn) => Promise<T>): Promise<T>;
}

/** Read-only view of the region cache (kept current by the etcd watch). */
export interface CacheView {
  get<T extends Message>(type: ObjectType, holder: Message): T | undefined;
  list<T extends Message>(type: ObjectType): readonly T[];
}

/** The clock, injectable for tests. */
export type Clock = () => Date;
