export type {
  KVStore,
  KeyValue,
  Lease,
  ListResult,
  PutOptions,
  Txn,
  Watch,
  WatchEvent,
  WatchHandlers,
} from './kv-store';
export { MemStore, type MemStoreOptions } from './mem-store';
export { EtcdStore, type EtcdStoreOptions } from './etcd-store';
export type { EtcdWatchTimings } from './etcd-watch';
export {
  COMPACTED_MESSAGE,
  compactedError,
  isCompacted,
  leaseNotFound,
  storeClosed,
  txnAborted,
} from './errors';
export { ObjectStore, type Reader, type Stored } from './object-store';
export { TypeCache, type CacheChange } from './type-cache';
export { RegionCache, type RawChange, type RegionCacheOptions } from './region-cache';
