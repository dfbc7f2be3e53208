import type { Change } from '@edge/notify';
import { isCompacted, type KVStore, type WatchEvent } from '@edge/store';
import type { RevisionGroup } from './change-log';

/** Options of {@link replayHistory}. */
export interface HistoryReplayOptions {
  readonly kv: KVStore;
  /** Key prefix to replay, e.g. `local/`. */
  readonly prefix: string;
  /** First revision to replay (inclusive). */
  readonly from: number;
  /** Last revision to replay (inclusive). */
  readonly to: number;
  /** Maps a store event to a replicated change; undefined skips it. */
  readonly map: (ev: WatchEvent, rev: number) => Change | undefined;
  /** At most this many changes are kept; older revisions are dropped (raising the horizon). */
  readonly maxChanges: number;
  /** Give up after this long. */
  readonly timeoutMs: number;
  /**
   * A key under `prefix` written (then deleted) to end the replay: its event proves every
   * earlier one was delivered. (A progress notification does not: etcd 3.4 answers a
   * progress request of a watch still catching up with the current revision.)
   */
  readonly marker: string;
}

/** What a replay got: every change in (horizon, to], or why it could not. */
export type HistoryReplay =
  | { readonly kind: 'ok'; readonly groups: RevisionGroup[]; readonly horizon: number }
  | { readonly kind: 'compacted' }
  | { readonly kind: 'failed'; readonly reason: string };

const outcome = (err: unknown): HistoryReplay =>
  isCompacted(err) ? { kind: 'compacted' } : { kind: 'failed', reason: String(err) };

/**
 * Replays the store's history of `prefix` from `from` to `to` with a watch (etcd keeps
 * history until compaction; MemStore a bounded number of revisions), collecting the
 * replicated changes by revision. Bounded by `maxChanges` and `timeoutMs`.
 */
export async function replayHistory(opts: HistoryReplayOptions): Promise<HistoryReplay> {
  try {
    await opts.kv.put(opts.marker, '');
  } catch (err) {
    return outcome(err);
  }
  try {
    return await collect(opts);
  } finally {
    await opts.kv.delete(opts.marker).catch(() => undefined);
  }
}

function collect(opts: HistoryReplayOptions): Promise<HistoryReplay> {
  return new Promise((resolve) => {
    const groups: RevisionGroup[] = [];
    let count = 0;
    let horizon = opts.from - 1;
    let done = false;
    let close: (() => Promise<void>) | undefined;
    const finish = (r: HistoryReplay): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void close?.();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ kind: 'failed', reason: 'timeout' }), opts.timeoutMs);
    const onEvents = (events: readonly WatchEvent[], rev: number): void => {
      if (done) return;
      if (rev > opts.to) return finish({ kind: 'ok', groups, horizon });
      const changes = events.flatMap((ev) => opts.map(ev, rev) ?? []);
      if (changes.length === 0) return;
      groups.push({ rev, changes });
      count += changes.length;
      while (count > opts.maxChanges && groups.length > 1) {
        const dropped = groups.shift() as RevisionGroup;
        count -= dropped.changes.length;
        horizon = dropped.rev;
      }
    };
    opts.kv
      .watch(opts.prefix, opts.from, { onEvents, onError: (err) => finish(outcome(err)) })
      .then((w) => {
        close = () => w.close();
        if (done) void w.close();
      })
      .catch((err: unknown) => finish(outcome(err)));
  });
}
