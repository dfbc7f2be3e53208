import { silentLogger, type Logger } from '@edge/log';
import { storeClosed } from './errors';
import type {
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
import { MemLeases } from './mem-leases';
import { SnapshotWriter, loadSnapshot } from './mem-snapshot';
import { MemWatchHub } from './mem-watch-hub';
import { TxnConflict, runTxn, type TxnAttempt, type TxnWrite } from './txn-runner';

/** Options of {@link MemStore}; all optional. */
export interface MemStoreOptions {
  /** Dev mode: load this JSON file at start, rewrite it (atomically, debounced) after writes and on close. */
  readonly snapshotFile?: string;
  /** Delay between a write and the snapshot write; default 200 ms. */
  readonly snapshotDebounceMs?: number;
  /** Revisions of history kept for watches from the past; default 10,000. Older starts get a compacted error. */
  readonly historyRevisions?: number;
  readonly log?: Logger;
}

/**
 * KVStore in memory with etcd's semantics (global revision, create/mod revisions and
 * versions, serializable STM transactions, watches replaying from a revision, leases).
 * For unit tests and the single-process dev mode; passes the same conformance suite as
 * EtcdStore.
 *
 * @example
 * const store = new MemStore({ snapshotFile: '.dev/store.json' });
 * const { revision } = await store.txn(async (tx) => { tx.put('local/Flavor/{"name":"x1"}', '{}'); });
 */
export class MemStore implements KVStore {
  private rev = 1;
  private readonly kvs = new Map<string, KeyValue>();
  private readonly hub: MemWatchHub;
  private readonly leases: MemLeases;
  private readonly snapshot: SnapshotWriter | undefined;
  private closed = false;

  constructor(opts: MemStoreOptions = {}) {
    const log = (opts.log ?? silentLogger()).child({ component: 'mem-store' });
    let compacted = 0;
    if (opts.snapshotFile) {
      const snap = loadSnapshot(opts.snapshotFile);
      if (snap) {
        this.rev = snap.revision;
        compacted = snap.revision;
        for (const kv of snap.kvs) this.kvs.set(kv.key, kv);
      }
      const file = opts.snapshotFile;
      this.snapshot = new SnapshotWriter(
        file,
        () => this.takeSnapshot(),
        opts.snapshotDebounceMs ?? 200,
        log,
      );
    }
    this.hub = new MemWatchHub(opts.historyRevisions ?? 10_000, () => this.rev, compacted, log);
    this.leases = new MemLeases((keys) => this.apply(keys.map((key) => [key, { type: 'delete' }])));
  }

  get(key: string): Promise<KeyValue | undefined> {
    return this.run(() => this.kvs.get(key));
  }

  list(prefix: string): Promise<ListResult> {
    return this.run(() => {
      const kvs = [...this.kvs.values()].filter((kv) => kv.key.startsWith(prefix));
      kvs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return { kvs, revision: this.rev };
    });
  }

  create(key: string, value: string, opts?: PutOptions): Promise<number | undefined> {
    return this.update(key, value, 0, opts);
  }

  put(key: string, value: string, opts?: PutOptions): Promise<number> {
    return this.run(() => this.apply([[key, putOf(value, opts)]]) ?? this.rev);
  }

  update(
    key: string,
    value: string,
    expectedModRevision: number,
    opts?: PutOptions,
  ): Promise<number | undefined> {
    return this.run(() =>
      (this.kvs.get(key)?.modRevision ?? 0) === expectedModRevision
        ? this.apply([[key, putOf(value, opts)]])
        : undefined,
    );
  }

  delete(key: string, expectedModRevision?: number): Promise<number | undefined> {
    return this.run(() => {
      const kv = this.kvs.get(key);
      if (!kv || (expectedModRevision !== undefined && kv.modRevision !== expectedModRevision))
        return undefined;
      return this.apply([[key, { type: 'delete' }]]);
    });
  }

  deletePrefix(prefix: string): Promise<number> {
    return this.run(() => {
      const keys = [...this.kvs.keys()].filter((k) => k.startsWith(prefix)).sort();
      this.apply(keys.map((k) => [k, { type: 'delete' }]));
      return keys.length;
    });
  }

  async txn<T>(
    fn: (tx: Txn) => Promise<T>,
    opts?: { maxRetries?: number },
  ): Promise<{ result: T; revision: number }> {
    this.checkOpen();
    return runTxn(
      {
        read: (key, attempt) =>
          this.run(() => {
            // Fail early when an earlier read is stale, so fn never sees an inconsistent view.
            if (!this.readsValid(attempt)) throw new TxnConflict();
            return this.kvs.get(key);
          }),
        commit: (attempt) =>
          this.run(() =>
            this.readsValid(attempt) ? (this.apply([...attempt.writes]) ?? this.rev) : undefined,
          ),
      },
      fn,
      opts?.maxRetries,
    );
  }

  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Promise<Watch> {
    return this.run(() => this.hub.watch(prefix, fromRevision, handlers));
  }

  grantLease(ttlMs: number): Promise<Lease> {
    return this.run(() => {
      const id = this.leases.grant(ttlMs);
      return {
        id,
        revoke: () => this.run(() => this.leases.revoke(id)),
        onLost: (cb) => this.leases.onLost(id, cb),
      };
    });
  }

  /** Fault injection: the lease's holder stops sending keep-alives, so it expires after its TTL. */
  stopKeepAlive(leaseId: string): void {
    this.leases.stopKeepAlive(leaseId);
  }

  /** Fault injection: the lease expires now (keys deleted, `onLost` called). */
  expireLease(leaseId: string): void {
    this.leases.expire(leaseId);
  }

  revision(): Promise<number> {
    return this.run(() => this.rev);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
    this.leases.close();
    await this.snapshot?.flush();
  }

  /**
   * Applies writes atomically as one revision (like one etcd txn): returns it, or undefined
   * when nothing changed (only deletes of absent keys).
   */
  private apply(writes: readonly (readonly [string, TxnWrite])[]): number | undefined {
    for (const [, w] of writes) if (w.type === 'put' && w.lease !== undefined) this.leases.check(w.lease);
    const rev = this.rev + 1;
    const events: WatchEvent[] = [];
    for (const [key, w] of writes) {
      const old = this.kvs.get(key);
      if (old?.lease !== undefined) this.leases.detach(old.lease, key);
      if (w.type === 'delete') {
        if (!old) continue;
        this.kvs.delete(key);
        events.push({ type: 'delete', key, value: '', modRevision: rev, prevValue: old.value });
        continue;
      }
      const kv: KeyValue = {
        key,
        value: w.value,
        createRevision: old?.createRevision ?? rev,
        modRevision: rev,
        version: (old?.version ?? 0) + 1,
        ...(w.lease === undefined ? {} : { lease: w.lease }),
      };
      this.kvs.set(key, kv);
      if (w.lease !== undefined) this.leases.attach(w.lease, key);
      events.push({
        type: 'put',
        key,
        value: w.value,
        modRevision: rev,
        ...(old ? { prevValue: old.value } : {}),
      });
    }
    if (events.length === 0) return undefined;
    this.rev = rev;
    this.hub.record(rev, events);
    this.snapshot?.changed();
    return rev;
  }

  private readsValid(attempt: TxnAttempt): boolean {
    for (const [key, modRev] of attempt.reads)
      if ((this.kvs.get(key)?.modRevision ?? 0) !== modRev) return false;
    return true;
  }

  private takeSnapshot(): { revision: number; kvs: KeyValue[] } {
    return { revision: this.rev, kvs: [...this.kvs.values()].filter((kv) => kv.lease === undefined) };
  }

  /** Runs a synchronous step as a promise, rejecting when closed (errors reject, never throw). */
  private run<R>(f: () => R): Promise<R> {
    try {
      this.checkOpen();
      return Promise.resolve(f());
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw storeClosed();
  }
}

function putOf(value: string, opts: PutOptions | undefined): TxnWrite {
  return { type: 'put', value, ...(opts?.lease === undefined ? {} : { lease: opts.lease }) };
}
