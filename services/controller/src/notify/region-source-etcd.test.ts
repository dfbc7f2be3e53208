import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { describeWithServers, uniqueName } from '@edge/testing';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';
import { RegionReplicationSource } from './region-source';
import { flavorFx } from './testing/fixtures';

const FLAVOR = 'edgeproto.Flavor';

describeWithServers('RegionReplicationSource over etcd', (servers) => {
  it('a restarted Controller resumes a child from before the restart (etcd history)', async () => {
    const region = uniqueName('region');
    const start = async (h: ControllerHarness): Promise<RegionReplicationSource> => {
      const s = new RegionReplicationSource({ reg: h.reg, cache: h.ctrl.cache, kv: h.kv, region });
      await s.start();
      return s;
    };
    let h = await startController({ etcd: servers.etcd, region });
    let source = await start(h);
    try {
      await seed(h, flavorFx('f1'), flavorFx('f2'));
      const childRev = source.revision();
      await seed(h, flavorFx('f3'));
      await seed(h, flavorFx('f2', 2048n));
      await h.ctrl.store.apply(async (tx) =>
        tx.delete(h.reg.get('Flavor'), create(edgeproto.FlavorSchema, { key: { name: 'f1' } })),
      );
      source.stop();
      await h.close();

      h = await startController({ etcd: servers.etcd, region });
      source = await start(h);
      const changes = source.since(childRev, new Set([FLAVOR])) ?? [];
      expect(changes.map((c) => [JSON.parse(c.key), c.obj !== undefined])).toEqual([
        [{ name: 'f3' }, true],
        [{ name: 'f2' }, true],
        [{ name: 'f1' }, false],
      ]);
    } finally {
      source.stop();
      await h.kv.deletePrefix(`${region}/`);
      await h.close();
    }
  });
});
