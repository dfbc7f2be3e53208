import { create } from '@bufbuild/protobuf';
import type { Change } from '@edge/notify';
import { edgeproto } from '@edge/proto';
import { MemStore, type KVStore } from '@edge/store';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';
import { RegionReplicationSource, type RegionSourceOptions } from './region-source';
import { appFx, flavorFx } from './testing/fixtures';

const FLAVOR = 'edgeproto.Flavor';
const APP = 'edgeproto.App';
const TYPES = new Set([FLAVOR, APP, 'edgeproto.AppInst']);

const flavorKey = (name: string): string => JSON.stringify({ name });

async function deleteFlavor(h: ControllerHarness, name: string): Promise<void> {
  await h.ctrl.store.apply(async (tx) =>
    tx.delete(h.reg.get('Flavor'), create(edgeproto.FlavorSchema, { key: { name } })),
  );
}

async function sourceOf(
  h: ControllerHarness,
  opts: Partial<RegionSourceOptions> = {},
): Promise<RegionReplicationSource> {
  const s = new RegionReplicationSource({
    reg: h.reg,
    cache: h.ctrl.cache,
    kv: h.kv,
    region: 'local',
    ...opts,
  });
  await s.start();
  return s;
}

const summary = (cs: readonly Change[]): [string, string, boolean][] =>
  cs.map((c) => [c.type, c.key, c.obj !== undefined]);

describe('RegionReplicationSource', () => {
  let kv: KVStore;
  let h: ControllerHarness;
  let source: RegionReplicationSource;
  beforeEach(async () => {
    kv = new MemStore();
    h = await startController({ kv });
  });
  afterEach(async () => {
    source?.stop();
    await h.close();
    await kv.close();
  });

  it("snapshots the wanted types with each object's mod revision, in send order", async () => {
    await seed(h, appFx('a1'));
    await seed(h, flavorFx('f1'));
    source = await sourceOf(h);
    const snap = source.snapshot(TYPES);
    expect(snap.revision).toBe(h.ctrl.cache.revision);
    expect(summary(snap.objects)).toEqual([
      [FLAVOR, flavorKey('f1'), true],
      [APP, JSON.stringify({ organization: 'dev', name: 'a1', version: '1' }), true],
    ]);
    const f1 = h.ctrl.cache.type('Flavor').getWithRevision(flavorKey('f1'));
    expect(snap.objects[0]?.rev).toBe(f1?.modRevision);
    expect(snap.objects[1]!.rev).toBeLessThan(snap.objects[0]!.rev); // by type, not revision
    expect(source.snapshot(new Set([FLAVOR])).objects).toHaveLength(1);
  });

  it('publishes the changes of one revision together, in revision order; deletes keep the key and the delete revision', async () => {
    source = await sourceOf(h);
    const got: [number, [string, string, boolean][]][] = [];
    source.subscribe((cs, rev) => got.push([rev, summary(cs)]));
    await seed(h, flavorFx('f1'), flavorFx('f2'));
    const r1 = h.ctrl.cache.revision;
    await deleteFlavor(h, 'f1');
    const r2 = h.ctrl.cache.revision;
    expect(source.revision()).toBe(r2);
    expect(got).toEqual([
      [
        r1,
        [
          [FLAVOR, flavorKey('f1'), true],
          [FLAVOR, flavorKey('f2'), true],
        ],
      ],
      [r2, [[FLAVOR, flavorKey('f1'), false]]],
    ]);
    expect(source.since(r1, TYPES)).toEqual([{ type: FLAVOR, key: flavorKey('f1'), rev: r2 }]);
  });

  it('replays only the changes after a revision, the last per key', async () => {
    await seed(h, flavorFx('f1'));
    source = await sourceOf(h);
    const r = source.revision();
    await seed(h, flavorFx('f2'));
    await seed(h, flavorFx('f2', 2048n));
    await deleteFlavor(h, 'f1');
    await seed(h, appFx('a1'));
    const changes = source.since(r, TYPES) ?? [];
    expect(summary(changes)).toEqual([
      [FLAVOR, flavorKey('f2'), true],
      [FLAVOR, flavorKey('f1'), false],
      [APP, JSON.stringify({ organization: 'dev', name: 'a1', version: '1' }), true],
    ]);
    expect((changes[0]?.obj as edgeproto.Flavor).ram).toBe(2048n);
    expect(source.since(r, new Set([APP]))).toHaveLength(1);
  });

  it('answers undefined (resync) below its horizon, which rises with the log size', async () => {
    source = await sourceOf(h, { maxChanges: 2 });
    const r0 = source.revision();
    expect(source.horizon).toBeLessThanOrEqual(r0);
    for (const n of ['f1', 'f2', 'f3', 'f4']) await seed(h, flavorFx(n));
    expect(source.since(r0, TYPES)).toBeUndefined();
    expect(source.horizon).toBeGreaterThan(r0);
    expect(summary(source.since(source.horizon, TYPES) ?? []).map((c) => c[1])).toEqual([
      flavorKey('f3'),
      flavorKey('f4'),
    ]);
  });

  it('after a restart, resumes from before it through the store history', async () => {
    await seed(h, flavorFx('f1'), flavorFx('f2'));
    source = await sourceOf(h);
    const childRev = source.revision();
    await seed(h, flavorFx('f3'));
    await deleteFlavor(h, 'f1');
    source.stop();
    await h.close();
    // a change while no Controller runs
    const other = await startController({ kv });
    await seed(other, flavorFx('f2', 4096n));
    await other.close();

    h = await startController({ kv });
    source = await sourceOf(h);
    expect(source.horizon).toBeLessThan(childRev);
    const changes = source.since(childRev, TYPES) ?? [];
    expect(summary(changes)).toEqual([
      [FLAVOR, flavorKey('f3'), true],
      [FLAVOR, flavorKey('f1'), false],
      [FLAVOR, flavorKey('f2'), true],
    ]);
    expect((changes[2]?.obj as edgeproto.Flavor).ram).toBe(4096n);
    // new changes keep coming after the replayed ones
    await seed(h, flavorFx('f4'));
    expect(summary(source.since(childRev, TYPES) ?? []).at(-1)).toEqual([FLAVOR, flavorKey('f4'), true]);
  });

  it('after a restart without history (disabled, or compacted), resumes only from its start', async () => {
    await seed(h, flavorFx('f1'));
    const childRev = h.ctrl.cache.revision;
    await seed(h, flavorFx('f2'));
    await h.close();
    h = await startController({ kv });
    source = await sourceOf(h, { history: false });
    expect(source.since(childRev, TYPES)).toBeUndefined();
    expect(source.since(h.ctrl.cache.revision, TYPES)).toEqual([]);
  });

  it('falls back to a resync when the store compacted the history', async () => {
    const small = new MemStore({ historyRevisions: 3 });
    const hs = await startController({ kv: small });
    try {
      await seed(hs, flavorFx('f1'));
      const childRev = hs.ctrl.cache.revision;
      for (const n of ['f2', 'f3', 'f4', 'f5', 'f6']) await seed(hs, flavorFx(n));
      const s = await sourceOf(hs, { kv: small });
      expect(s.since(childRev, TYPES)).toBeUndefined();
      // what the history still has is usable
      expect(s.horizon).toBeLessThan(hs.ctrl.cache.revision);
      s.stop();
    } finally {
      await hs.close();
      await small.close();
    }
  });
});
