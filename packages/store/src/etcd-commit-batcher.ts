import type { TxnAttempt } from './txn-runner';

/** etcd refuses transactions with more operations than this (its default --max-txn-ops). */
const MAX_OPS = 128;

/** Sends one etcd Txn made of several attempts: true if every compare held. */
export type SendBatch = (
  attempts: readonly TxnAttempt[],
) => Promise<{ succeeded: boolean; revision: number }>;

interface Pending {
  readonly attempt: TxnAttempt;
  readonly keys: ReadonlySet<string>;
  resolve(rev: number | undefined): void;
  reject(err: unknown): void;
}

const keysOf = (a: TxnAttempt): Set<string> => new Set([...a.reads.keys(), ...a.writes.keys()]);
const opsOf = (a: TxnAttempt): number => a.reads.size + a.writes.size;

/**
 * Group commit: while one etcd Txn is in flight, commits that arrive wait and then go
 * together as one Txn — their compares and writes combined — so N concurrent
 * transactions cost about one raft round instead of N. Only transactions touching
 * disjoint keys share a Txn (so combining cannot hide a conflict between them), and a
 * combined Txn whose compare fails is retried one attempt at a time, so each
 * transaction still learns exactly whether it conflicted. A lone commit goes out at once.
 */
export class CommitBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = false;

  constructor(private readonly send: SendBatch) {}

  /** Commits one attempt: its revision, or undefined if one of its reads changed. */
  commit(attempt: TxnAttempt): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ attempt, keys: keysOf(attempt), resolve, reject });
      if (!this.inFlight) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight = true;
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      try {
        await this.sendBatch(batch);
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.inFlight = false;
  }

  /** The longest run from the queue head whose members touch disjoint keys and fit one Txn. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const used = new Set<string>();
    let ops = 0;
    for (let i = 0; i < this.queue.length;) {
      const p = this.queue[i] as Pending;
      const fits = ops + opsOf(p.attempt) <= MAX_OPS || batch.length === 0;
      if (fits && ![...p.keys].some((k) => used.has(k))) {
        batch.push(p);
        p.keys.forEach((k) => used.add(k));
        ops += opsOf(p.attempt);
        this.queue.splice(i, 1);
      } else {
        i++;
      }
      if (ops >= MAX_OPS) break;
    }
    return batch;
  }

  private async sendBatch(batch: readonly Pending[]): Promise<void> {
    const res = await this.send(batch.map((p) => p.attempt));
    if (res.succeeded) {
      for (const p of batch) p.resolve(res.revision);
      return;
    }
    if (batch.length === 1) {
      (batch[0] as Pending).resolve(undefined);
      return;
    }
    // Someone in the batch conflicted: find out who, one at a time.
    for (const p of batch) {
      const one = await this.send([p.attempt]);
      p.resolve(one.succeeded ? one.revision : undefined);
    }
  }
}
