/**
 * The storage contract of the Controller, shaped like etcd v3: keys are strings,
 * values are strings (JSON of protobuf objects), every write bumps one global
 * revision, and watches replay changes from a revision. `EtcdStore` implements it
 * over a real etcd; `MemStore` in memory (unit tests, dev mode). Both pass
 * `conformance.ts`.
 */

/** One stored key. Revisions are etcd's: global, increasing with every write. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** Revision of the write that created the key (since its last deletion). */
  readonly createRevision: number;
  /** Revision of the last write to the key. */
  readonly modRevision: number;
  /** Number of writes since creation (1 after create). */
  readonly version: number;
  /** Lease the key is attached to, if any. */
  readonly lease?: string;
}

/** Result of a range read: the keys and the store revision they were read at. */
export interface ListResult {
  readonly kvs: readonly KeyValue[];
  readonly revision: number;
}

/** Options of a write. */
export interface PutOptions {
  /** Attach the key to this lease; it is deleted when the lease expires or is revoked. */
  readonly lease?: string;
}

/**
 * The read/write view inside a transaction (etcd STM style, serializable): reads see
 * the store as of the transaction's first read plus its own writes; at commit every
 * key read must still have the revision it had (absent keys must still be absent),
 * else the function runs again from scratch.
 */
export interface Txn {
  /** Which run of the function this is: 0 first, then 1, 2, … after conflicts. */
  readonly attempt: number;
  get(key: string): Promise<KeyValue | undefined>;
  /**
   * Counts `key` as read at `modRevision` (0 = absent) without asking the store: for
   * callers whose cache already knows it. If the key changed since, the commit fails
   * and the function runs again — then read for real (see `attempt`).
   */
  assume(key: string, modRevision: number): void;
  put(key: string, value: string, opts?: PutOptions): void;
  delete(key: string): void;
}

/** A change seen by a watch. */
export interface WatchEvent {
  readonly type: 'put' | 'delete';
  readonly key: string;
  /** New value (put) or empty (delete). */
  readonly value: string;
  /** Revision of this change. */
  readonly modRevision: number;
  /** Value before the change, when known. */
  readonly prevValue?: string;
}

/** Callbacks of a watch. Events arrive in revision order; all events of one revision together. */
export interface WatchHandlers {
  onEvents(events: readonly WatchEvent[], revision: number): void;
  /**
   * The watch cannot continue (start revision compacted, or the connection to the
   * store is lost for good); relist and watch again from the list's revision.
   */
  onError?(err: Error): void;
  /** Periodic progress: every change up to `revision` has been delivered. */
  onProgress?(revision: number): void;
}

/** A running watch; `close()` ends it. */
export interface Watch {
  close(): Promise<void>;
  /**
   * Asks for an `onProgress` soon, telling how far the watch has delivered. Lets a cache
   * confirm it is current when the revision it waits for changed nothing under its prefix.
   */
  requestProgress?(): void;
}

/** A lease: keys attached to it vanish when it is not kept alive. */
export interface Lease {
  readonly id: string;
  /** Ends the lease now, deleting its keys. */
  revoke(): Promise<void>;
  /** Called once if the lease expired because keep-alives failed. */
  onLost(cb: (err: Error) => void): void;
}

export interface KVStore {
  get(key: string): Promise<KeyValue | undefined>;
  /** Every key starting with `prefix`, sorted by key. */
  list(prefix: string): Promise<ListResult>;
  /** Writes `key` only if absent. Returns the revision, or undefined if the key existed. */
  create(key: string, value: string, opts?: PutOptions): Promise<number | undefined>;
  /** Writes `key` unconditionally. Returns the revision. */
  put(key: string, value: string, opts?: PutOptions): Promise<number>;
  /**
   * Writes `key` only if its mod revision is `expectedModRevision` (0 = must be absent).
   * Returns the revision, or undefined on mismatch.
   */
  update(
    key: string,
    value: string,
    expectedModRevision: number,
    opts?: PutOptions,
  ): Promise<number | undefined>;
  /** Deletes `key`; with `expectedModRevision`, only if it still has it. Returns the revision, or undefined if nothing was deleted. */
  delete(key: string, expectedModRevision?: number): Promise<number | undefined>;
  /** Deletes every key starting with `prefix`. Returns the number of keys deleted. */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Runs `fn` as a serializable transaction, retrying on conflict (up to `maxRetries`,
   * default 20, then an ABORTED EdgeError). Returns fn's result and the commit revision
   * (the current revision if fn wrote nothing).
   */
  txn<T>(
    fn: (tx: Txn) => Promise<T>,
    opts?: { maxRetries?: number },
  ): Promise<{ result: T; revision: number }>;
  /** Streams changes of keys starting with `prefix`, from `fromRevision` (inclusive). */
  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Promise<Watch>;
  /** A lease kept alive (every ttl/3) until revoked or the store is closed. */
  grantLease(ttlMs: number): Promise<Lease>;
  /** The store's current revision. */
  revision(): Promise<number>;
  close(): Promise<void>;
}
