import type { KVStore } from '@edge/store';

/** How long a claimed revision, or a change parked waiting for its claim, is kept. */
const KEEP_MS = 30_000;

/**
 * Which store revisions this Controller committed. Every Controller of a region sees every
 * change through its cache; to record each lifecycle event once, only the Controller whose
 * write made the change records it. The commit's reply and the watch event that carries the
 * change race each other, so work for a revision not (yet) known as ours is parked until
 * it is claimed, and forgotten after a while (another Controller's write).
 */
export class OwnWrites {
  private readonly claimed = new Map<number, number>();
  private readonly parked = new Map<number, { at: number; fns: (() => void)[] }>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Marks `rev` as committed by this Controller and runs what was parked for it. */
  claim(rev: number): void {
    const now = this.nowMs();
    this.claimed.set(rev, now);
    const p = this.parked.get(rev);
    if (p) {
      this.parked.delete(rev);
      for (const fn of p.fns) fn();
    }
    this.prune(now);
  }

  /** Runs `fn` now if `rev` is ours, later if it is claimed within the keep window, else never. */
  ifMine(rev: number, fn: () => void): void {
    const now = this.nowMs();
    if (this.claimed.has(rev)) {
      fn();
    } else {
      const p = this.parked.get(rev);
      if (p) p.fns.push(fn);
      else this.parked.set(rev, { at: now, fns: [fn] });
    }
    this.prune(now);
  }

  /** Entries still held (for tests). */
  get size(): { claimed: number; parked: number } {
    return { claimed: this.claimed.size, parked: this.parked.size };
  }

  /** Maps iterate in insertion order, which is time order: drop from the front while old. */
  private prune(now: number): void {
    for (const [rev, at] of this.claimed) {
      if (now - at < KEEP_MS) break;
      this.claimed.delete(rev);
    }
    for (const [rev, p] of this.parked) {
      if (now - p.at < KEEP_MS) break;
      this.parked.delete(rev);
    }
  }
}

/**
 * A KVStore that reports the revision of each of its successful writes to `own` (then behaves
 * exactly as `kv`). `deletePrefix` reports nothing: it returns no revision. Neither does a
 * transaction that wrote nothing.
 */
export function trackOwnWrites(kv: KVStore, own: OwnWrites): KVStore {
  const claim = (rev: number | undefined): number | undefined => {
    if (rev !== undefined) own.claim(rev);
    return rev;
  };
  return {
    get: (key) => kv.get(key),
    list: (prefix) => kv.list(prefix),
    create: async (key, value, opts) => claim(await kv.create(key, value, opts)),
    put: async (key, value, opts) => {
      const rev = await kv.put(key, value, opts);
      own.claim(rev);
      return rev;
    },
    update: async (key, value, expected, opts) => claim(await kv.update(key, value, expected, opts)),
    delete: async (key, expected) => claim(await kv.delete(key, expected)),
    deletePrefix: (prefix) => kv.deletePrefix(prefix),
    txn: async (fn, opts) => {
      // A transaction that wrote nothing returns the current revision, which is not ours.
      let wrote = false;
      const res = await kv.txn((tx) => {
        wrote = false;
        return fn({
          attempt: tx.attempt,
          get: (key) => tx.get(key),
          assume: (key, rev) => tx.assume(key, rev),
          put: (key, value, o) => {
            wrote = true;
            tx.put(key, value, o);
          },
          delete: (key) => {
            wrote = true;
            tx.delete(key);
          },
        });
      }, opts);
      if (wrote) own.claim(res.revision);
      return res;
    },
    watch: (prefix, from, handlers) => kv.watch(prefix, from, handlers),
    grantLease: (ttlMs) => kv.grantLease(ttlMs),
    revision: () => kv.revision(),
    close: () => kv.close(),
  };
}
