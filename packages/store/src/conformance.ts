/**
 * The one behaviour suite every KVStore must pass (MemStore always, EtcdStore against the
 * real test etcd). Each test works under its own `uniqueName()` prefix so parallel jest
 * workers sharing one etcd never see each other's keys. Test support only: not exported
 * from the package index (it needs jest globals).
 */
import { uniqueName } from '@edge/testing';
import type { KVStore, Lease } from './kv-store';
import { leaseConformance } from './conformance-lease';
import { txnConformance } from './conformance-txn';
import { watchConformance } from './conformance-watch';

/** A store under test and how to tear it down. */
export interface ConformanceTarget {
  readonly store: KVStore;
  cleanup(): Promise<void>;
  /** Makes the holder stop keeping `lease` alive, so it expires after its TTL (fault injection). */
  stopKeepAlive(lease: Lease): void;
}

/** What each group of conformance tests gets: the current test's store and key prefix. */
export interface ConformanceContext {
  target(): ConformanceTarget;
  store(): KVStore;
  /** Unique per test, ends with `/`. */
  prefix(): string;
}

/** Polls `cond` every 10 ms until true; throws after `timeoutMs`. */
export async function eventually(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Registers the conformance suite for one KVStore implementation. */
export function runKVStoreConformance(name: string, makeStore: () => Promise<ConformanceTarget>): void {
  describe(`KVStore conformance: ${name}`, () => {
    let target: ConformanceTarget | undefined;
    let prefix = '';
    beforeEach(async () => {
      target = await makeStore();
      prefix = `${uniqueName('kv')}/`;
    });
    afterEach(async () => {
      const t = target;
      target = undefined;
      if (!t) return;
      try {
        await t.store.deletePrefix(prefix);
      } finally {
        await t.cleanup();
      }
    });
    const ctx: ConformanceContext = {
      target: () => {
        if (!target) throw new Error('no store: used outside a test');
        return target;
      },
      store: () => ctx.target().store,
      prefix: () => prefix,
    };
    basicConformance(ctx);
    txnConformance(ctx);
    watchConformance(ctx);
    leaseConformance(ctx);
  });
}

function basicConformance(ctx: ConformanceContext): void {
  const s = (): KVStore => ctx.store();
  const k = (name: string): string => ctx.prefix() + name;

  describe('keys and revisions', () => {
    it('tracks create/mod revisions and versions', async () => {
      const r1 = await s().create(k('a'), 'v1');
      expect(r1).toBeGreaterThan(0);
      expect(await s().get(k('a'))).toEqual({
        key: k('a'),
        value: 'v1',
        createRevision: r1,
        modRevision: r1,
        version: 1,
      });
      const r2 = await s().put(k('a'), 'v2');
      expect(r2).toBeGreaterThan(r1 as number);
      expect(await s().get(k('a'))).toEqual({
        key: k('a'),
        value: 'v2',
        createRevision: r1,
        modRevision: r2,
        version: 2,
      });
      const r3 = await s().delete(k('a'));
      expect(r3).toBeGreaterThan(r2);
      expect(await s().get(k('a'))).toBeUndefined();
      const r4 = await s().put(k('a'), 'v3');
      expect(await s().get(k('a'))).toMatchObject({ createRevision: r4, modRevision: r4, version: 1 });
    });

    it('creates only if absent', async () => {
      expect(await s().create(k('c'), 'first')).toBeGreaterThan(0);
      expect(await s().create(k('c'), 'second')).toBeUndefined();
      expect((await s().get(k('c')))?.value).toBe('first');
    });

    it('updates only at the expected mod revision', async () => {
      expect(await s().update(k('u'), 'x', 5)).toBeUndefined();
      const r1 = (await s().update(k('u'), 'v1', 0)) as number;
      expect(r1).toBeGreaterThan(0);
      expect(await s().update(k('u'), 'again', 0)).toBeUndefined();
      const r2 = await s().update(k('u'), 'v2', r1);
      expect(r2).toBeGreaterThan(r1);
      expect(await s().update(k('u'), 'stale', r1)).toBeUndefined();
      expect(await s().get(k('u'))).toMatchObject({ value: 'v2', modRevision: r2, version: 2 });
    });

    it('deletes with and without an expected revision', async () => {
      expect(await s().delete(k('none'))).toBeUndefined();
      const r1 = await s().put(k('d'), 'v');
      expect(await s().delete(k('d'), r1 + 100)).toBeUndefined();
      expect(await s().get(k('d'))).toBeDefined();
      const r2 = await s().delete(k('d'), r1);
      expect(r2).toBeGreaterThan(r1);
      expect(await s().get(k('d'))).toBeUndefined();
      await s().put(k('e'), 'v');
      expect(await s().delete(k('e'))).toBeGreaterThan(r2 as number);
      expect(await s().delete(k('e'))).toBeUndefined();
    });

    it('deletes a prefix and nothing else', async () => {
      for (const n of ['p/1', 'p/2', 'p/sub/3', 'p0', 'q']) await s().put(k(n), n);
      expect(await s().deletePrefix(k('p/'))).toBe(3);
      expect((await s().list(ctx.prefix())).kvs.map((kv) => kv.key)).toEqual([k('p0'), k('q')]);
      expect(await s().deletePrefix(k('p/'))).toBe(0);
    });

    it('lists by prefix, sorted by key', async () => {
      for (const n of ['b', 'a/2', 'a/10', 'a0', 'a/1', 'a']) await s().put(k(n), `v-${n}`);
      const last = await s().put(k('a/3'), 'v-a/3');
      const res = await s().list(k('a/'));
      expect(res.kvs.map((kv) => kv.key)).toEqual(['a/1', 'a/10', 'a/2', 'a/3'].map(k));
      expect(res.kvs[0]?.value).toBe('v-a/1');
      expect(res.revision).toBeGreaterThanOrEqual(last);
      expect((await s().list(k('zzz/'))).kvs).toEqual([]);
    });

    it('has a monotonic revision', async () => {
      const r0 = await s().revision();
      const r1 = await s().put(k('r'), '1');
      expect(r1).toBeGreaterThan(r0);
      const r2 = await s().revision();
      expect(r2).toBeGreaterThanOrEqual(r1);
      expect(await s().revision()).toBeGreaterThanOrEqual(r2);
    });
  });
}
