import { silentLogger, type Logger } from '@edge/log';
import { Etcd3, type IOptions, type IRequestOp, type Lease as EtcdLease } from 'etcd3';
import { storeClosed } from './errors';
import { EtcdWatch, type EtcdWatchTimings } from './etcd-watch';
import { etcdCall, fromEtcdError, num, prefixEnd, toKeyValue } from './etcd-util';
import type { KVStore, KeyValue, Lease, ListResult, PutOptions, Txn, Watch, WatchHandlers } from './kv-store';
import { CommitBatcher } from './etcd-commit-batcher';
import { TxnConflict, runTxn, type TxnAttempt } from './txn-runner';

/** Options of {@link EtcdStore}. */
export interface EtcdStoreOptions {
  /** Client endpoints, `host:port` or `http(s)://host:port`. */
  readonly endpoints: readonly string[];
  /** Further etcd3 client options (credentials, auth, dial timeout, …). */
  readonly client?: Omit<IOptions, 'hosts'>;
  /** Keys per range request when listing a prefix; default 1000 (etcd caps one response at ~1.5 MiB). */
  readonly listPageSize?: number;
  /** Watch reconnect backoff (default 100 ms → 5 s) and give-up time (default 60 s). */
  readonly watch?: Partial<EtcdWatchTimings>;
  readonly log?: Logger;
}

/**
 * KVStore over a real etcd v3 (the `etcd3` client). Values are the strings given (the
 * Controller stores protobuf JSON, so `etcdctl get` is readable); transactions are etcd STM
 * style: reads at one revision, then one etcd Txn comparing each read key's mod revision.
 *
 * @example
 * const store = new EtcdStore({ endpoints: ['127.0.0.1:2379'], log });
 * const rev = await store.create('local/Flavor/{"name":"x1"}', '{"key":{"name":"x1"}}');
 */
export class EtcdStore implements KVStore {
  private readonly client: Etcd3;
  private readonly log: Logger;
  private readonly pageSize: number;
  private readonly timings: EtcdWatchTimings;
  private readonly watches = new Set<EtcdWatch>();
  private readonly leases = new Map<string, EtcdLease>();
  private readonly commits = new CommitBatcher((attempts) => this.sendCommits(attempts));
  private closed = false;

  constructor(opts: EtcdStoreOptions) {
    if (opts.endpoints.length === 0) throw new Error('EtcdStore: endpoints must name at least one etcd');
    const hosts = opts.endpoints.map((e) => (/^https?:\/\//.test(e) ? e : `http://${e}`));
    this.client = new Etcd3({ ...opts.client, hosts });
    this.log = (opts.log ?? silentLogger()).child({ component: 'etcd-store' });
    this.pageSize = opts.listPageSize ?? 1000;
    this.timings = { initialBackoffMs: 100, maxBackoffMs: 5000, giveUpAfterMs: 60_000, ...opts.watch };
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const res = await etcdCall(() => this.client.kv.range({ key: Buffer.from(key) }));
    const kv = res.kvs[0];
    return kv ? toKeyValue(kv) : undefined;
  }

  async list(prefix: string): Promise<ListResult> {
    this.checkOpen();
    const end = prefixEnd(prefix);
    const kvs: KeyValue[] = [];
    let from = Buffer.from(prefix);
    let revision: number | undefined;
    for (;;) {
      const res = await etcdCall(() =>
        this.client.kv.range({
          key: from,
          range_end: end,
          limit: this.pageSize,
          sort_order: 'Ascend',
          sort_target: 'Key',
          ...(revision === undefined ? {} : { revision }),
        }),
      );
      revision ??= num(res.header.revision);
      for (const kv of res.kvs) kvs.push(toKeyValue(kv));
      const last = res.kvs[res.kvs.length - 1];
      if (!res.more || !last) return { kvs, revision };
      from = Buffer.concat([last.key, Buffer.from([0])]);
    }
  }

  create(key: string, value: string, opts?: PutOptions): Promise<number | undefined> {
    return this.update(key, value, 0, opts);
  }

  async put(key: string, value: string, opts?: PutOptions): Promise<number> {
    this.checkOpen();
    const res = await etcdCall(() => this.client.kv.put(putRequest(key, value, opts?.lease)), opts?.lease);
    return num(res.header.revision);
  }

  async update(
    key: string,
    value: string,
    expectedModRevision: number,
    opts?: PutOptions,
  ): Promise<number | undefined> {
    this.checkOpen();
    const res = await etcdCall(
      () =>
        this.client.kv.txn({
          compare: [modEquals(key, expectedModRevision)],
          success: [{ request_put: putRequest(key, value, opts?.lease) }],
        }),
      opts?.lease,
    );
    return res.succeeded ? num(res.header.revision) : undefined;
  }

  async delete(key: string, expectedModRevision?: number): Promise<number | undefined> {
    this.checkOpen();
    const del: IRequestOp = { request_delete_range: { key: Buffer.from(key) } };
    const compare = expectedModRevision === undefined ? [] : [modEquals(key, expectedModRevision)];
    const res = await etcdCall(() => this.client.kv.txn({ compare, success: [del] }));
    const deleted = num(res.responses[0]?.response_delete_range?.deleted);
    return res.succeeded && deleted > 0 ? num(res.header.revision) : undefined;
  }

  async deletePrefix(prefix: string): Promise<number> {
    this.checkOpen();
    const res = await etcdCall(() =>
      this.client.kv.deleteRange({ key: Buffer.from(prefix), range_end: prefixEnd(prefix) }),
    );
    return num(res.deleted);
  }

  async txn<T>(
    fn: (tx: Txn) => Promise<T>,
    opts?: { maxRetries?: number },
  ): Promise<{ result: T; revision: number }> {
    this.checkOpen();
    return runTxn(
      { read: (key, a) => this.txnRead(key, a), commit: (a) => this.commits.commit(a) },
      fn,
      opts?.maxRetries,
    );
  }

  async watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Promise<Watch> {
    this.checkOpen();
    const w = new EtcdWatch(this.client.watchClient, prefix, fromRevision, handlers, this.timings, this.log);
    this.watches.add(w);
    try {
      await w.start();
    } catch (err) {
      this.watches.delete(w);
      throw fromEtcdError(err);
    }
    return {
      close: () => {
        this.watches.delete(w);
        return w.close();
      },
      requestProgress: () => w.requestProgress(),
    };
  }

  async grantLease(ttlMs: number): Promise<Lease> {
    this.checkOpen();
    const lease = this.client.lease(Math.max(1, Math.ceil(ttlMs / 1000)), { autoKeepAlive: true });
    lease.on('lost', (err) => this.log.warn({ err }, 'lease lost'));
    const id = await etcdCall(() => lease.grant());
    this.leases.set(id, lease);
    return {
      id,
      revoke: async () => {
        this.leases.delete(id);
        await etcdCall(() => lease.revoke(), id);
      },
      onLost: (cb) => lease.on('lost', cb),
    };
  }

  /** Fault injection: stop the lease's keep-alives without revoking it, so etcd expires it after its TTL. */
  stopKeepAlive(leaseId: string): void {
    this.leases.get(leaseId)?.release();
    this.leases.delete(leaseId);
  }

  async revision(): Promise<number> {
    this.checkOpen();
    const res = await etcdCall(() => this.client.kv.range({ key: Buffer.from([0]), count_only: true }));
    return num(res.header.revision);
  }

  /** Ends watches, stops keep-alives (the leases then expire after their TTL) and closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.watches].map((w) => w.close()));
    this.watches.clear();
    for (const l of this.leases.values()) l.release();
    this.leases.clear();
    this.client.close();
  }

  /** STM read: the first read fixes the revision; later reads see the store as of it. */
  private async txnRead(key: string, a: TxnAttempt): Promise<KeyValue | undefined> {
    const req = {
      key: Buffer.from(key),
      ...(a.readRevision === undefined ? {} : { revision: a.readRevision }),
    };
    let res;
    try {
      res = await this.client.kv.range(req);
    } catch (err) {
      // The read revision was compacted under us: start over at a fresh one.
      if (a.readRevision !== undefined && /compacted/.test(String(err))) throw new TxnConflict();
      throw fromEtcdError(err);
    }
    a.readRevision ??= num(res.header.revision);
    const kv = res.kvs[0];
    return kv ? toKeyValue(kv) : undefined;
  }

  /**
   * STM commit of several attempts as one etcd Txn (see CommitBatcher): if every key
   * read still has its mod revision, apply all the writes.
   */
  private async sendCommits(
    attempts: readonly TxnAttempt[],
  ): Promise<{ succeeded: boolean; revision: number }> {
    const compare = attempts.flatMap((a) => [...a.reads].map(([key, rev]) => modEquals(key, rev)));
    const success: IRequestOp[] = attempts.flatMap((a) =>
      [...a.writes].map(([key, w]): IRequestOp =>
        w.type === 'put'
          ? { request_put: putRequest(key, w.value, w.lease) }
          : { request_delete_range: { key: Buffer.from(key) } },
      ),
    );
    const lease = attempts
      .flatMap((a) => [...a.writes.values()])
      .find((w) => w.type === 'put' && w.lease !== undefined);
    const res = await etcdCall(
      () => this.client.kv.txn({ compare, success }),
      lease?.type === 'put' ? lease.lease : undefined,
    );
    return { succeeded: res.succeeded, revision: num(res.header.revision) };
  }

  private checkOpen(): void {
    if (this.closed) throw storeClosed();
  }
}

function putRequest(
  key: string,
  value: string,
  lease: string | undefined,
): { key: Buffer; value: Buffer; lease?: string } {
  return { key: Buffer.from(key), value: Buffer.from(value), ...(lease === undefined ? {} : { lease }) };
}

/** Compare: the key's mod revision is `rev` (etcd treats an absent key as revision 0). */
function modEquals(
  key: string,
  rev: number,
): { key: Buffer; target: 'Mod'; result: 'Equal'; mod_revision: number } {
  return { key: Buffer.from(key), target: 'Mod', result: 'Equal', mod_revision: rev };
}
