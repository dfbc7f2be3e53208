import type { ConformanceContext } from './conformance';
import { eventually } from './conformance';
import type { KVStore, Watch, WatchEvent } from './kv-store';

interface Recorder {
  batches: { revision: number; events: readonly WatchEvent[] }[];
  events(): WatchEvent[];
  errors: Error[];
}

function recorder(): Recorder & { handlers: Parameters<KVStore['watch']>[2] } {
  const r = {
    batches: [] as { revision: number; events: readonly WatchEvent[] }[],
    errors: [] as Error[],
    events: () => r.batches.flatMap((b) => b.events),
    handlers: {
      onEvents: (events: readonly WatchEvent[], revision: number) => r.batches.push({ revision, events }),
      onError: (err: Error) => r.errors.push(err),
    },
  };
  return r;
}

/** Watch tests of the conformance suite. */
export function watchConformance(ctx: ConformanceContext): void {
  const s = (): KVStore => ctx.store();
  const k = (name: string): string => ctx.prefix() + name;
  let watches: Watch[] = [];
  afterEach(async () => {
    await Promise.all(watches.map((w) => w.close()));
    watches = [];
  });
  const watch = async (prefix: string, from: number, r: ReturnType<typeof recorder>): Promise<Watch> => {
    const w = await s().watch(prefix, from, r.handlers);
    watches.push(w);
    return w;
  };

  describe('watch', () => {
    it('replays from a past revision, then streams live changes', async () => {
      const r1 = await s().put(k('w/a'), 'a1');
      const r2 = await s().put(k('w/b'), 'b1');
      await s().put(k('other'), 'not watched');
      const r3 = (await s().delete(k('w/a'))) as number;
      const rec = recorder();
      await watch(k('w/'), r1, rec);
      const r4 = await s().put(k('w/b'), 'b2');
      await eventually(() => rec.events().length >= 4, 5000, 'four events');
      expect(rec.events()).toEqual([
        { type: 'put', key: k('w/a'), value: 'a1', modRevision: r1 },
        { type: 'put', key: k('w/b'), value: 'b1', modRevision: r2 },
        { type: 'delete', key: k('w/a'), value: '', modRevision: r3, prevValue: 'a1' },
        { type: 'put', key: k('w/b'), value: 'b2', modRevision: r4, prevValue: 'b1' },
      ]);
      expect(rec.batches.map((b) => b.revision)).toEqual([r1, r2, r3, r4]);
      expect(rec.errors).toEqual([]);
    });

    it('delivers the events of one txn together, at one revision', async () => {
      await s().put(k('t/z'), 'z');
      const rec = recorder();
      await watch(k('t/'), (await s().revision()) + 1, rec);
      const { revision } = await s().txn(async (tx) => {
        tx.put(k('t/x'), 'x');
        tx.put(k('t/y'), 'y');
        tx.delete(k('t/z'));
      });
      await eventually(() => rec.batches.length >= 1, 5000, 'the txn batch');
      await new Promise((r) => setTimeout(r, 50));
      expect(rec.batches).toHaveLength(1);
      expect(rec.batches[0]?.revision).toBe(revision);
      expect(rec.batches[0]?.events.map((e) => [e.type, e.key, e.modRevision])).toEqual([
        ['put', k('t/x'), revision],
        ['put', k('t/y'), revision],
        ['delete', k('t/z'), revision],
      ]);
    });

    it('watches from now when given revision 0, and stops after close', async () => {
      await s().put(k('n/old'), 'old');
      const rec = recorder();
      const w = await watch(k('n/'), 0, rec);
      const r = await s().put(k('n/new'), 'new');
      await eventually(() => rec.events().length >= 1, 5000, 'the live event');
      expect(rec.events()).toEqual([{ type: 'put', key: k('n/new'), value: 'new', modRevision: r }]);
      await w.close();
      await s().put(k('n/after'), 'x');
      await new Promise((res) => setTimeout(res, 100));
      expect(rec.events()).toHaveLength(1);
    });

    it('reports progress on request when supported', async () => {
      const rec = recorder();
      const progress: number[] = [];
      const w = await watch(k('p/'), 0, {
        ...rec,
        handlers: { ...rec.handlers, onProgress: (rev) => progress.push(rev) },
      });
      if (!w.requestProgress) return;
      const r = await s().put(k('elsewhere'), 'x');
      w.requestProgress();
      await eventually(() => progress.some((p) => p >= r), 5000, 'a progress notification');
    });
  });
}
