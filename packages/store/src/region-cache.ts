import type { Message } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { silentLogger, type Logger } from '@edge/log';
import type { ObjectType } from '@edge/proto';
import type { KVStore, KeyValue, Watch, WatchEvent } from './kv-store';
import { ObjectStore } from './object-store';
import { RevisionWaiters } from './revision-waiter';
import { TypeCache, type CacheChange } from './type-cache';

/** A change of a key under the region whose type segment is not an object type (internal records). */
export interface RawChange {
  readonly type: 'put' | 'delete';
  /** Full etcd key, e.g. `local/ControllerLease/abc`. */
  readonly key: string;
  /** New value of a put; empty for a delete. */
  readonly value: string;
  readonly modRevision: number;
}

/** Options of {@link RegionCache}. */
export interface RegionCacheOptions {
  readonly store: KVStore;
  readonly region: string;
  /** Object types to cache, e.g. `registry.all()`. */
  readonly types: readonly ObjectType[];
  readonly log?: Logger;
  /** First delay before relisting after a watch error (doubles up to 5 s); default 100 ms. */
  readonly relistBackoffMs?: number;
  /** While a `waitForRevision` is pending, ask the watch for progress this often; default 50 ms. */
  readonly progressPollMs?: number;
}

type Route = { cache: TypeCache; keyJson: string } | { raw: true };

/**
 * Everything stored under `<region>/`, kept current by ONE watch (as the original
 * Controller's sync.go): list, then watch from the list's revision; per-type caches by the
 * key's second path segment; other segments go to raw hooks. After a write the Controller
 * calls `waitForRevision(rev)` so that its caches (and what it sends on) have seen it.
 * A watch error (compaction, lost connection) leads to a relist that announces the diff.
 *
 * @example
 * const cache = new RegionCache({ store, region: 'local', types: registry.all(), log });
 * await cache.start();
 * const apps = cache.type<edgeproto.App>('App');
 * apps.onChange((c) => notify.send(c));
 * const { revision } = await store.txn(...);
 * await cache.waitForRevision(revision, 10_000);
 * apps.get('{"organization":"o","name":"a","version":"1"}');
 */
export class RegionCache {
  private readonly prefix: string;
  private readonly byName = new Map<string, TypeCache>();
  private readonly raw = new Map<string, KeyValue>();
  private readonly rawSubs = new Set<{ prefix: string; cb: (c: RawChange) => void }>();
  private readonly waiters: RevisionWaiters;
  private readonly log: Logger;
  private readonly store: KVStore;
  private watch: Watch | undefined;
  /** Bumped on every (re)start and stop, so callbacks of an old watch are ignored. */
  private generation = 0;
  private stopped = false;
  private relistTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;

  constructor(private readonly opts: RegionCacheOptions) {
    this.store = opts.store;
    this.log = (opts.log ?? silentLogger()).child({ component: 'region-cache', region: opts.region });
    for (const t of opts.types)
      this.byName.set(t.name, new TypeCache(new ObjectStore(opts.region, t), this.log));
    this.prefix = `${opts.region}/`;
    this.backoffMs = opts.relistBackoffMs ?? 100;
    this.waiters = new RevisionWaiters(opts.progressPollMs ?? 50, () => this.watch?.requestProgress?.());
  }

  /** Lists and starts watching; resolves once the caches hold everything as of the list. */
  async start(): Promise<void> {
    await this.sync();
  }

  /** The cache of one object type; throws for types not given in the options. */
  type<T extends Message = Message>(name: string): TypeCache<T> {
    const c = this.byName.get(name);
    if (!c) throw new Error(`RegionCache: type ${name} is not cached`);
    return c as unknown as TypeCache<T>;
  }

  /** Every change up to this revision has been applied. */
  get revision(): number {
    return this.waiters.revision;
  }

  /** Resolves once every change up to `rev` is applied (and announced); DEADLINE_EXCEEDED after `timeoutMs`. */
  waitForRevision(rev: number, timeoutMs: number): Promise<void> {
    return this.waiters.wait(rev, timeoutMs);
  }

  /** Calls `cb` for changes of keys `<region>/<prefix>…` that are not objects of a cached type. */
  onRaw(prefix: string, cb: (c: RawChange) => void): () => void {
    const sub = { prefix: this.prefix + prefix, cb };
    this.rawSubs.add(sub);
    return () => this.rawSubs.delete(sub);
  }

  /** The current raw (non-object) keys under `<region>/<prefix>`, sorted. */
  listRaw(prefix: string): KeyValue[] {
    const p = this.prefix + prefix;
    return [...this.raw.values()]
      .filter((kv) => kv.key.startsWith(p))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  /** Stops watching; pending waits reject with UNAVAILABLE. The caches keep their last state. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    if (this.relistTimer) clearTimeout(this.relistTimer);
    this.waiters.rejectAll(new EdgeError(Code.UNAVAILABLE, 'region cache stopped'));
    const w = this.watch;
    this.watch = undefined;
    await w?.close();
  }

  /** List, apply the diff against the caches, then watch from the list's revision. */
  private async sync(): Promise<void> {
    const gen = ++this.generation;
    const res = await this.store.list(this.prefix);
    if (gen !== this.generation) return;
    this.applyList(res.kvs, res.revision);
    const w = await this.store.watch(this.prefix, res.revision + 1, {
      onEvents: (events, rev) => gen === this.generation && this.applyEvents(events, rev),
      onProgress: (rev) => gen === this.generation && this.waiters.advance(rev),
      onError: (err) => gen === this.generation && this.restart(err),
    });
    if (gen !== this.generation) {
      await w.close();
      return;
    }
    this.watch = w;
    this.backoffMs = this.opts.relistBackoffMs ?? 100;
  }

  private restart(err: unknown): void {
    if (this.stopped) return;
    this.generation++;
    const w = this.watch;
    this.watch = undefined;
    void w?.close();
    this.log.warn({ err, retryMs: this.backoffMs }, 'region watch failed, relisting');
    this.relistTimer = setTimeout(() => {
      this.relistTimer = undefined;
      this.sync().catch((e: unknown) => this.restart(e));
    }, this.backoffMs);
    this.backoffMs = Math.min(5000, this.backoffMs * 2);
  }

  private applyList(kvs: readonly KeyValue[], revision: number): void {
    const seen = new Map<TypeCache, Set<string>>();
    const seenRaw = new Set<string>();
    const changes: (() => void)[] = [];
    const sorted = [...kvs].sort((a, b) => a.modRevision - b.modRevision);
    for (const kv of sorted) {
      const route = this.route(kv.key);
      if ('raw' in route) {
        seenRaw.add(kv.key);
        if (this.raw.get(kv.key)?.modRevision !== kv.modRevision)
          changes.push(this.applyRaw('put', kv.key, kv.value, kv.modRevision));
        continue;
      }
      let keys = seen.get(route.cache);
      if (!keys) seen.set(route.cache, (keys = new Set()));
      keys.add(route.keyJson);
      if (route.cache.getWithRevision(route.keyJson)?.modRevision === kv.modRevision) continue;
      const n = this.applyTyped(route.cache, route.keyJson, kv.key, kv.value, kv.modRevision);
      if (n) changes.push(n);
    }
    for (const cache of this.byName.values()) {
      for (const keyJson of cache.revisions().keys()) {
        if (seen.get(cache)?.has(keyJson)) continue;
        const n = this.applyTyped(cache, keyJson, '', undefined, revision);
        if (n) changes.push(n);
      }
    }
    for (const key of [...this.raw.keys()])
      if (!seenRaw.has(key)) changes.push(this.applyRaw('delete', key, '', revision));
    for (const announce of changes) announce();
    this.waiters.advance(revision);
  }

  private applyEvents(events: readonly WatchEvent[], revision: number): void {
    const announce: (() => void)[] = [];
    for (const ev of events) {
      const route = this.route(ev.key);
      if ('raw' in route) {
        announce.push(this.applyRaw(ev.type, ev.key, ev.value, revision));
        continue;
      }
      const value = ev.type === 'put' ? ev.value : undefined;
      const n = this.applyTyped(route.cache, route.keyJson, ev.key, value, revision);
      if (n) announce.push(n);
    }
    for (const a of announce) a();
    this.waiters.advance(revision);
  }

  /** Updates a type cache; returns how to announce the change (undefined if none or undecodable). */
  private applyTyped(
    cache: TypeCache,
    keyJson: string,
    key: string,
    value: string | undefined,
    rev: number,
  ): (() => void) | undefined {
    let change: CacheChange<Message> | undefined;
    try {
      change = cache.apply(keyJson, value, rev);
    } catch (err) {
      this.log.warn({ err, key, modRevision: rev }, 'skipping stored object that does not decode');
      return undefined;
    }
    return change && (() => cache.notify(change));
  }

  private applyRaw(type: 'put' | 'delete', key: string, value: string, rev: number): () => void {
    if (type === 'put') this.raw.set(key, { key, value, createRevision: 0, modRevision: rev, version: 0 });
    else this.raw.delete(key);
    const c: RawChange = { type, key, value: type === 'put' ? value : '', modRevision: rev };
    return () => {
      for (const s of this.rawSubs) {
        if (!key.startsWith(s.prefix)) continue;
        try {
          s.cb(c);
        } catch (err) {
          this.log.error({ err, key }, 'raw change callback threw');
        }
      }
    };
  }

  /** Which cache a key belongs to: by its type segment; anything unexpected is raw. */
  private route(key: string): Route {
    const rest = key.slice(this.prefix.length);
    const slash = rest.indexOf('/');
    const cache = this.byName.get(slash < 0 ? rest : rest.slice(0, slash));
    if (!cache || cache.objects.type.singleton !== slash < 0) return { raw: true };
    return { cache, keyJson: slash < 0 ? '' : rest.slice(slash + 1) };
  }
}
