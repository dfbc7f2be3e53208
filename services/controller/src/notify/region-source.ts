import { randomUUID } from 'node:crypto';
import type { Message } from '@bufbuild/protobuf';
import { silentLogger, type Logger } from '@edge/log';
import type { Change, ReplicationSource } from '@edge/notify';
import type { ObjectRegistry, ObjectType } from '@edge/proto';
import type { KVStore, RegionCache, WatchEvent } from '@edge/store';
import { ChangeLog } from './change-log';
import { replayHistory } from './history-replay';
import { replicatedTypes, sendOrder } from './send-order';

/** How a restarted source rebuilds its change log from the store's history. */
export interface HistoryOptions {
  /** Revisions back from the start revision to replay; default 100,000. */
  readonly revisions?: number;
  /** Give up (children then resync) after this long; default 5 s. */
  readonly timeoutMs?: number;
  /** Replays tried; on compaction the next covers half the revisions of the last; default 6. */
  readonly attempts?: number;
}

/** Options of {@link RegionReplicationSource}. */
export interface RegionSourceOptions {
  readonly reg: ObjectRegistry;
  /** The Controller's region cache, started. */
  readonly cache: RegionCache;
  /** The store under the cache, for the history replay at start. */
  readonly kv: KVStore;
  readonly region: string;
  /** Types to replicate; default `replicatedTypes(reg)` (all must be cached). */
  readonly types?: readonly ObjectType[];
  /** Changes kept in the in-memory log; default 50,000. */
  readonly maxChanges?: number;
  /** History replay at start; `false` disables it (a restart then forces full resyncs). */
  readonly history?: HistoryOptions | false;
  readonly log?: Logger;
}

/** Path segment of the marker key written to end a history replay (not an object type). */
const REPLAY_MARKER = 'NotifyReplayMarker';

type Listener = (changes: readonly Change[], revision: number) => void;

/**
 * What a Controller replicates down the notify tree: its region cache, each object with
 * its etcd mod revision, and a bounded log of changes for resuming children. The log is
 * fed by the cache's change callbacks; at `start()` it is extended back into the store's
 * history (a watch replay), so that children of a restarted Controller resume from
 * where they were instead of resyncing.
 *
 * Changes of one revision are published together after the cache has applied them (on a
 * microtask, or earlier when any method is called), in revision order.
 */
export class RegionReplicationSource implements ReplicationSource {
  private readonly types: ReadonlyMap<string, ObjectType>;
  private readonly byName: ReadonlyMap<string, ObjectType>;
  private readonly ranks: Map<string, number>;
  private readonly listeners = new Set<Listener>();
  private readonly offs: (() => void)[] = [];
  private readonly log: Logger;
  private changeLog: ChangeLog | undefined;
  private pending: Change[] = [];
  private flushQueued = false;
  private published = 0;

  constructor(private readonly opts: RegionSourceOptions) {
    const types = opts.types ?? replicatedTypes(opts.reg);
    this.types = new Map(types.map((t) => [t.typeName, t]));
    this.byName = new Map(types.map((t) => [t.name, t]));
    this.ranks = sendOrder(opts.reg);
    this.log = (opts.log ?? silentLogger()).child({ component: 'notify-source' });
  }

  /**
   * Starts logging the cache's changes (call after `cache.start()`, before serving
   * children), then replays the store's history below the cache's revision into the log.
   */
  async start(): Promise<void> {
    if (this.changeLog) return;
    const startRev = this.opts.cache.revision;
    this.published = startRev;
    this.changeLog = new ChangeLog(startRev, this.opts.maxChanges ?? 50_000);
    for (const t of this.types.values()) {
      this.offs.push(
        this.opts.cache.type(t.name).onChange((c) => {
          this.pending.push({
            type: t.typeName,
            key: c.keyJson,
            rev: c.modRevision,
            ...(c.obj ? { obj: c.obj } : {}),
          });
          if (!this.flushQueued) {
            this.flushQueued = true;
            queueMicrotask(() => this.flush());
          }
        }),
      );
    }
    if (this.opts.history !== false && startRev > 0) await this.replay(startRev, this.opts.history ?? {});
  }

  /** Stops following the cache; subscribers get nothing more. */
  stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.listeners.clear();
  }

  /** The oldest revision a child can resume from. */
  get horizon(): number {
    return this.requireLog().horizon;
  }

  /** The cache's revision, after publishing what the cache has announced. */
  revision(): number {
    this.flush();
    return Math.max(this.opts.cache.revision, this.published);
  }

  /** The cached objects of `types` with their mod revisions, in send order, at `revision()`. */
  snapshot(types: ReadonlySet<string>): { objects: Change[]; revision: number } {
    const revision = this.revision();
    const objects: Change[] = [];
    for (const typeName of types) {
      const t = this.types.get(typeName);
      if (!t) continue;
      const cache = this.opts.cache.type(t.name);
      for (const obj of cache.list()) {
        const key = t.keyJson(obj);
        const rev = cache.getWithRevision(key)?.modRevision ?? revision;
        objects.push({ type: t.typeName, key, rev, obj });
      }
    }
    objects.sort((a, b) => this.order(a.type) - this.order(b.type));
    return { objects, revision };
  }

  /**
   * The changes of `types` after `fromRevision`, the last per key, in revision order;
   * undefined below the horizon (or for 0); empty for a revision this Controller has not
   * reached yet (a child coming from a Controller that is ahead).
   */
  since(fromRevision: number, types: ReadonlySet<string>): Change[] | undefined {
    this.flush();
    return this.requireLog().since(fromRevision, types);
  }

  /** Calls `listener` with the changes of each revision, in revision order. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Send rank of a type (short or full name); unknown types last. */
  order(type: string): number {
    return this.ranks.get(type) ?? this.ranks.size;
  }

  /** Publishes what the cache announced: into the log, then to subscribers, one revision at a time. */
  private flush(): void {
    this.flushQueued = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    batch.sort((a, b) => a.rev - b.rev); // stable: the cache's order within a revision stays
    const log = this.requireLog();
    for (let i = 0; i < batch.length;) {
      const rev = (batch[i] as Change).rev;
      let j = i;
      while (j < batch.length && (batch[j] as Change).rev === rev) j++;
      const group = batch.slice(i, j);
      i = j;
      log.append(rev, group);
      this.published = Math.max(this.published, rev);
      for (const l of [...this.listeners]) {
        try {
          l(group, rev);
        } catch (err) {
          this.log.error({ err, rev }, 'notify source listener threw');
        }
      }
    }
  }

  /** Extends the log back into the store's history, shrinking the window on compaction. */
  private async replay(startRev: number, h: HistoryOptions): Promise<void> {
    let window = h.revisions ?? 100_000;
    for (let attempt = 0; attempt < (h.attempts ?? 6) && window >= 1; attempt++) {
      const from = Math.max(1, startRev - window + 1);
      const res = await replayHistory({
        kv: this.opts.kv,
        prefix: `${this.opts.region}/`,
        from,
        to: startRev,
        map: (ev, rev) => this.fromEvent(ev, rev),
        maxChanges: this.opts.maxChanges ?? 50_000,
        timeoutMs: h.timeoutMs ?? 5000,
        marker: `${this.opts.region}/${REPLAY_MARKER}/${randomUUID()}`,
      });
      if (res.kind === 'ok') {
        this.requireLog().prepend(res.groups, res.horizon);
        this.log.info({ horizon: res.horizon, startRev }, 'notify change log seeded from store history');
        return;
      }
      if (res.kind === 'failed') {
        this.log.warn({ reason: res.reason, startRev }, 'store history replay failed; children resync');
        return;
      }
      window = Math.floor((startRev - from + 1) / 2);
    }
  }

  /** A store event as a replicated change (undefined for other keys and undecodable values). */
  private fromEvent(ev: WatchEvent, rev: number): Change | undefined {
    const rest = ev.key.slice(this.opts.region.length + 1);
    const slash = rest.indexOf('/');
    const name = slash < 0 ? rest : rest.slice(0, slash);
    const t = this.byName.get(name);
    if (!t || t.singleton !== slash < 0) return undefined;
    const key = slash < 0 ? '' : rest.slice(slash + 1);
    if (ev.type === 'delete') return { type: t.typeName, key, rev };
    let obj: Message;
    try {
      obj = this.opts.cache.type(t.name).objects.decode(ev.value);
    } catch (err) {
      this.log.warn({ err, key: ev.key, rev }, 'skipping stored object that does not decode');
      return undefined;
    }
    return { type: t.typeName, key, rev, obj };
  }

  private requireLog(): ChangeLog {
    if (!this.changeLog) throw new Error('RegionReplicationSource: start() first');
    return this.changeLog;
  }
}
