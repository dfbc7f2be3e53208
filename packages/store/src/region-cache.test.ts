import { create } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { createLogger, memoryLog } from '@edge/log';
import { ObjectRegistry, allFiles, edgeproto } from '@edge/proto';
import type { KVStore, Watch, WatchHandlers } from './kv-store';
import { MemStore } from './mem-store';
import { ObjectStore } from './object-store';
import { RegionCache, type RawChange } from './region-cache';
import type { CacheChange } from './type-cache';

const reg = new ObjectRegistry(allFiles);
const apps = new ObjectStore<edgeproto.App>('local', reg.get('App'));
const app = (name: string, imagePath = 'img'): edgeproto.App =>
  create(edgeproto.AppSchema, { key: { organization: 'o', name, version: '1' }, imagePath });
const keyJson = (name: string): string => apps.type.keyJson(app(name));

/** A MemStore whose watches can be broken on demand: events stop, then onError fires. */
class BreakableStore extends MemStore {
  private handlers: WatchHandlers | undefined;
  private broken = false;
  override watch(prefix: string, from: number, h: WatchHandlers): Promise<Watch> {
    this.broken = false;
    const guarded: WatchHandlers = {
      onEvents: (evs, rev) => !this.broken && h.onEvents(evs, rev),
      onProgress: (rev) => !this.broken && h.onProgress?.(rev),
      onError: (err) => h.onError?.(err),
    };
    this.handlers = guarded;
    return super.watch(prefix, from, guarded);
  }
  /** From now on the current watch delivers nothing. */
  pause(): void {
    this.broken = true;
  }
  fail(): void {
    this.handlers?.onError?.(new Error('stream reset'));
  }
}

describe('RegionCache', () => {
  let store: BreakableStore;
  let cache: RegionCache;
  const log = memoryLog();
  beforeEach(() => {
    store = new BreakableStore();
    cache = new RegionCache({
      store,
      region: 'local',
      types: reg.all(),
      log: createLogger({ name: 'test', destination: log.stream, level: 'debug' }),
      relistBackoffMs: 5,
      progressPollMs: 5,
    });
  });
  afterEach(async () => {
    await cache.stop();
    await store.close();
  });

  const write = (f: Parameters<KVStore['txn']>[0]): Promise<number> => store.txn(f).then((r) => r.revision);

  it('lists existing objects at start, then follows changes in revision order', async () => {
    await write(async (tx) => {
      apps.put(tx, app('a'));
      apps.put(tx, app('b'));
    });
    await store.put('other-region/App/x', '{}');
    await cache.start();
    const c = cache.type<edgeproto.App>('App');
    expect(
      c
        .list()
        .map((x) => x.key?.name)
        .sort(),
    ).toEqual(['a', 'b']);
    const seen: CacheChange<edgeproto.App>[] = [];
    const unsubscribe = c.onChange((ch) => {
      expect(c.get(ch.keyJson)).toBe(ch.obj); // the cache already has it
      seen.push(ch);
    });
    const r1 = await write(async (tx) => apps.put(tx, app('c')));
    const r2 = await write(async (tx) => apps.put(tx, app('a', 'img2')));
    const r3 = await write(async (tx) => apps.delete(tx, app('b')));
    await cache.waitForRevision(r3, 1000);
    expect(seen.map((s) => [s.type, s.keyJson, s.modRevision, s.old?.imagePath, s.obj?.imagePath])).toEqual([
      ['put', keyJson('c'), r1, undefined, 'img'],
      ['put', keyJson('a'), r2, 'img', 'img2'],
      ['delete', keyJson('b'), r3, 'img', undefined],
    ]);
    expect(c.getWithRevision(keyJson('a'))?.modRevision).toBe(r2);
    unsubscribe();
    await cache.waitForRevision(await write(async (tx) => apps.put(tx, app('d'))), 1000);
    expect(seen).toHaveLength(3);
    expect(c.size).toBe(3);
  });

  it('waits for revisions that changed nothing in the region, and times out on future ones', async () => {
    await cache.start();
    const rev = await store.put('elsewhere/key', 'v');
    await cache.waitForRevision(rev, 1000);
    expect(cache.revision).toBeGreaterThanOrEqual(rev);
    const err = await cache.waitForRevision(rev + 100, 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EdgeError);
    expect((err as EdgeError).code).toBe(Code.DEADLINE_EXCEEDED);
  });

  it('logs and skips values that do not decode', async () => {
    await cache.start();
    await store.put(`local/App/{"organization":"o","name":"bad","version":"1"}`, 'not json');
    const rev = await write(async (tx) => apps.put(tx, app('good')));
    await cache.waitForRevision(rev, 1000);
    expect(cache.type('App').list()).toHaveLength(1);
    expect(log.lines().some((l) => l['msg'] === 'skipping stored object that does not decode')).toBe(true);
  });

  it('sends other keys of the region to raw hooks', async () => {
    await store.put('local/ControllerLease/old', 'o');
    await cache.start();
    const raw: RawChange[] = [];
    cache.onRaw('ControllerLease/', (c) => raw.push(c));
    const r1 = await store.put('local/ControllerLease/c1', 'addr1');
    const r2 = (await store.delete('local/ControllerLease/old')) as number;
    await store.put('local/Other/x', 'y');
    await cache.waitForRevision(await store.revision(), 1000);
    expect(raw).toEqual([
      { type: 'put', key: 'local/ControllerLease/c1', value: 'addr1', modRevision: r1 },
      { type: 'delete', key: 'local/ControllerLease/old', value: '', modRevision: r2 },
    ]);
    expect(cache.listRaw('').map((kv) => kv.key)).toEqual(['local/ControllerLease/c1', 'local/Other/x']);
  });

  it('relists after a watch error and announces the difference', async () => {
    await write(async (tx) => {
      apps.put(tx, app('keep'));
      apps.put(tx, app('change'));
      apps.put(tx, app('remove'));
    });
    await cache.start();
    const seen: CacheChange<edgeproto.App>[] = [];
    cache.type<edgeproto.App>('App').onChange((c) => seen.push(c));
    store.pause();
    await write(async (tx) => {
      apps.put(tx, app('change', 'v2'));
      apps.delete(tx, app('remove'));
    });
    const last = await write(async (tx) => apps.put(tx, app('new')));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]); // the broken watch delivered nothing
    store.fail();
    await cache.waitForRevision(last, 2000);
    expect(
      seen.map((c) => [c.type, c.obj?.key?.name ?? c.old?.key?.name, c.old?.imagePath, c.obj?.imagePath]),
    ).toEqual([
      ['put', 'change', 'img', 'v2'],
      ['put', 'new', undefined, 'img'],
      ['delete', 'remove', 'img', undefined],
    ]);
    // and the new watch works
    const rev = await write(async (tx) => apps.delete(tx, app('keep')));
    await cache.waitForRevision(rev, 1000);
    expect(cache.type('App').get(keyJson('keep'))).toBeUndefined();
  });

  it('rejects pending waits when stopped', async () => {
    await cache.start();
    const wait = cache.waitForRevision((await store.revision()) + 10, 5000);
    await cache.stop();
    await expect(wait).rejects.toThrow('region cache stopped');
  });
});
