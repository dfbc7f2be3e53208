import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKVStoreConformance } from './conformance';
import { isCompacted } from './errors';
import { MemStore } from './mem-store';

runKVStoreConformance('MemStore', () => {
  const store = new MemStore();
  return Promise.resolve({
    store,
    cleanup: () => store.close(),
    stopKeepAlive: (l) => store.stopKeepAlive(l.id),
  });
});

describe('MemStore', () => {
  it('reports compaction for a watch older than its history', async () => {
    const store = new MemStore({ historyRevisions: 3 });
    const first = await store.put('k', '1');
    for (let i = 2; i <= 5; i++) await store.put('k', String(i));
    const errors: Error[] = [];
    await store.watch('k', first, { onEvents: () => undefined, onError: (e) => errors.push(e) });
    await new Promise((r) => setImmediate(r));
    expect(errors).toHaveLength(1);
    expect(isCompacted(errors[0])).toBe(true);
    await store.close();
  });

  it('calls onLost when a lease expires', async () => {
    const store = new MemStore();
    const lease = await store.grantLease(1000);
    await store.put('k', 'v', { lease: lease.id });
    const lost: Error[] = [];
    lease.onLost((e) => lost.push(e));
    store.expireLease(lease.id);
    expect(await store.get('k')).toBeUndefined();
    expect(lost).toHaveLength(1);
    await store.close();
  });

  it('rejects every call once closed', async () => {
    const store = new MemStore();
    await store.close();
    await expect(store.get('k')).rejects.toThrow('store is closed');
    await expect(store.txn(() => Promise.resolve())).rejects.toThrow('store is closed');
  });

  describe('snapshot file', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'memstore-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('survives a restart, without leased keys, at the same revision', async () => {
      const file = join(dir, 'store.json');
      const a = new MemStore({ snapshotFile: file, snapshotDebounceMs: 5 });
      await a.put('x', '1');
      const lease = await a.grantLease(1000);
      await a.put('eph', 'e', { lease: lease.id });
      const rev = await a.put('y', '2');
      // The snapshot is written shortly after (debounced, asynchronous): poll for it, bounded.
      const written = async (): Promise<unknown> => {
        for (const end = Date.now() + 5000; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
          try {
            const snap = JSON.parse(readFileSync(file, 'utf8')) as { revision?: number };
            if (snap.revision === rev) return snap;
          } catch {
            // not written yet
          }
        }
        throw new Error('snapshot not written in time');
      };
      expect(await written()).toMatchObject({ revision: rev });
      await a.put('z', '3');
      await a.close();
      const b = new MemStore({ snapshotFile: file });
      expect((await b.list('')).kvs.map((kv) => kv.key)).toEqual(['x', 'y', 'z']);
      expect(await b.revision()).toBe(rev + 1);
      expect((await b.put('w', '4')) > rev + 1).toBe(true);
      await b.close();
    });
  });
});
