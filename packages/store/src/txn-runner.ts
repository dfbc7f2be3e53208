import { setTimeout as sleep } from 'node:timers/promises';
import { txnAborted } from './errors';
import type { KeyValue, PutOptions, Txn } from './kv-store';

/** A write buffered by a transaction until commit. */
export type TxnWrite =
  { readonly type: 'put'; readonly value: string; readonly lease?: string } | { readonly type: 'delete' };

/** What one attempt of a transaction read and wants to write; backends add their own bookkeeping. */
export interface TxnAttempt {
  /** Keys read from the store, with the mod revision seen (0 = absent). */
  readonly reads: Map<string, number>;
  /** What each read returned, so repeated reads agree. */
  readonly values: Map<string, KeyValue | undefined>;
  /** Buffered writes, by key, in order of first write. */
  readonly writes: Map<string, TxnWrite>;
  /** Revision the backend reads at (etcd: the revision of the first read). */
  readRevision: number | undefined;
}

/**
 * Thrown by a backend's `read` when the attempt is known to conflict already, so the
 * function stops early and runs again.
 */
export class TxnConflict extends Error {
  override readonly name = 'TxnConflict';
}

/** The two store-specific steps of an STM transaction. */
export interface TxnBackend {
  /** Reads `key` for the attempt (the backend picks the revision). May throw {@link TxnConflict}. */
  read(key: string, attempt: TxnAttempt): Promise<KeyValue | undefined>;
  /** Atomically checks every read is unchanged and applies the writes: the revision, or undefined on conflict. */
  commit(attempt: TxnAttempt): Promise<number | undefined>;
}

/** The `Txn` handed to the user function: reads go to the backend (once per key), writes are buffered. */
class AttemptView implements Txn {
  done = false;
  constructor(
    private readonly state: TxnAttempt,
    private readonly backend: TxnBackend,
    readonly attempt: number,
  ) {}

  assume(key: string, modRevision: number): void {
    this.check();
    if (!this.state.reads.has(key)) this.state.reads.set(key, modRevision);
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.check();
    const a = this.state;
    const w = a.writes.get(key);
    if (w) {
      if (w.type === 'delete') return undefined;
      // Own write: the value written, with the revisions of the stored version (0 when new).
      const base = a.values.get(key);
      return {
        key,
        value: w.value,
        createRevision: base?.createRevision ?? 0,
        modRevision: base?.modRevision ?? 0,
        version: base?.version ?? 0,
        ...(w.lease === undefined ? {} : { lease: w.lease }),
      };
    }
    if (a.values.has(key)) return a.values.get(key);
    const kv = await this.backend.read(key, a);
    this.check();
    a.reads.set(key, kv?.modRevision ?? 0);
    a.values.set(key, kv);
    return kv;
  }

  put(key: string, value: string, opts?: PutOptions): void {
    this.check();
    this.state.writes.set(key, {
      type: 'put',
      value,
      ...(opts?.lease === undefined ? {} : { lease: opts.lease }),
    });
  }

  delete(key: string): void {
    this.check();
    this.state.writes.set(key, { type: 'delete' });
  }

  private check(): void {
    if (this.done) throw new Error('transaction used after its function returned');
  }
}

/**
 * Runs `fn` as an optimistic serializable transaction over `backend`: run, commit if no key
 * read has changed, else back off a little and run again from scratch, at most
 * `maxRetries` times (then ABORTED). An error thrown by `fn` ends it with nothing written.
 */
export async function runTxn<T>(
  backend: TxnBackend,
  fn: (tx: Txn) => Promise<T>,
  maxRetries = 20,
): Promise<{ result: T; revision: number }> {
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    if (attempt > 0) await sleep(Math.random() * Math.min(50, 2 * attempt));
    const state: TxnAttempt = {
      reads: new Map(),
      values: new Map(),
      writes: new Map(),
      readRevision: undefined,
    };
    const view = new AttemptView(state, backend, attempt);
    let result: T;
    try {
      result = await fn(view);
    } catch (err) {
      if (err instanceof TxnConflict) continue;
      throw err;
    } finally {
      view.done = true;
    }
    const revision = await backend.commit(state);
    if (revision !== undefined) return { result, revision };
  }
  throw txnAborted(maxRetries + 1);
}
