import { create } from '@bufbuild/protobuf';
import { ObjectRegistry, allFiles, edgeproto } from '@edge/proto';
import { describeWithServers, uniqueName } from '@edge/testing';
import { EtcdStore } from './etcd-store';
import { ObjectStore } from './object-store';
import { RegionCache } from './region-cache';

const reg = new ObjectRegistry(allFiles);

describeWithServers('RegionCache over etcd', (servers) => {
  it('sees writes of another client (two Controllers) after waitForRevision', async () => {
    const region = uniqueName('region');
    const a = new EtcdStore({ endpoints: [servers.etcd] });
    const b = new EtcdStore({ endpoints: [servers.etcd] });
    const cache = new RegionCache({ store: b, region, types: reg.all() });
    const apps = new ObjectStore<edgeproto.App>(region, reg.get('App'));
    const app = create(edgeproto.AppSchema, {
      key: { organization: 'o', name: 'a', version: '1' },
      imagePath: 'i',
    });
    try {
      await cache.start();
      const { revision } = await a.txn(async (tx) => {
        if (!(await apps.get(tx, app))) apps.put(tx, app);
      });
      await cache.waitForRevision(revision, 5000);
      expect(cache.type<edgeproto.App>('App').get(apps.type.keyJson(app))?.imagePath).toBe('i');
      // A revision outside the region is confirmed by a progress request.
      const other = await a.put(`${uniqueName('other')}/k`, 'v');
      await cache.waitForRevision(other, 5000);
    } finally {
      await cache.stop();
      await a.deletePrefix(`${region}/`);
      await Promise.all([a.close(), b.close()]);
    }
  });
});
