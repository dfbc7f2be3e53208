import { create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { describeWithServers, testServers, uniqueName } from '@edge/testing';
import { EtcdStore } from '@edge/store';
import { hostnameSanitize } from './names';
import { placementWorld, readyCloudlet, recorder, type PlacementWorld } from './testing/world';
import { rejection } from '../testing/rejection';

function autoclusterSuite(name: string, start: () => Promise<PlacementWorld>): void {
  describe(name, () => {
    let w: PlacementWorld;
    let cloudlet: edgeproto.CloudletKey;
    beforeAll(async () => {
      w = await start();
      cloudlet = await readyCloudlet(w, 'c1', [
        { name: 'm4.small', vcpus: 2, ram: 2048, disk: 20 },
        { name: 'm4.large', vcpus: 4, ram: 8192, disk: 40 },
      ]);
      await w
        .api('Flavor')
        .create(
          create(edgeproto.FlavorSchema, { key: { name: 'x1.small' }, ram: 1024n, vcpus: 1n, disk: 10n }),
        );
      await w
        .api('Flavor')
        .create(
          create(edgeproto.FlavorSchema, { key: { name: 'x1.medium' }, ram: 2048n, vcpus: 2n, disk: 20n }),
        );
      for (const [app, flavor] of [
        ['web', 'x1.small'],
        ['api', 'x1.small'],
      ] as const)
        await w.api('App').create(
          create(edgeproto.AppSchema, {
            key: { organization: 'dev', name: app, version: '1' },
            imageType: edgeproto.ImageType.DOCKER,
            imagePath: 'registry.example.com/dev/web:1',
            accessPorts: 'tcp:80',
            defaultFlavor: { name: flavor },
          }),
        );
    });
    afterAll(() => w.close());

    const inst = (app: string, cluster: string) =>
      create(edgeproto.AppInstSchema, {
        key: {
          appKey: { organization: 'dev', name: app, version: '1' },
          clusterInstKey: { clusterKey: { name: cluster }, cloudletKey: cloudlet },
        },
      });
    const cluster = (n: string) =>
      w.get<edgeproto.ClusterInst>(
        'ClusterInst',
        create(edgeproto.ClusterInstSchema, {
          key: { clusterKey: { name: n }, cloudletKey: cloudlet, organization: 'MobiledgeX' },
        }),
      );

    it('creates reservable0 for the first autocluster AppInst, reserved by the App org', async () => {
      const op = recorder();
      const ai = await w.api<edgeproto.AppInst>('AppInst').create(inst('web', 'autocluster-web'), op);
      expect(op.messages).toContain('Creating new auto-cluster named reservable0 to deploy AppInst');
      expect(ai.realClusterName).toBe('reservable0');
      expect(ai.key?.clusterInstKey?.organization).toBe('MobiledgeX');
      const ci = cluster('reservable0');
      expect([ci?.reservable, ci?.auto, ci?.reservedBy, ci?.nodeFlavor]).toEqual([
        true,
        true,
        'dev',
        'm4.small',
      ]);
      expect(ai.uri).toBe(`shared.c1-op.${hostnameSanitize(w.deps.region)}.mobiledgex.net`);
      expect(ai.mappedPorts.map((p) => [p.internalPort, p.publicPort])).toEqual([[80, 80]]);
      const refs = w.get<edgeproto.CloudletRefs>(
        'CloudletRefs',
        create(edgeproto.CloudletRefsSchema, { key: cloudlet }),
      );
      expect(refs?.reservedAutoClusterIds).toBe(1n);
      expect(refs?.rootLbPorts[80]).toBe(1);
      expect(refs?.clusterInsts.map((k) => k.clusterKey?.name)).toEqual(['reservable0']);
    });

    it('frees the reservation on AppInst delete and reuses the free cluster', async () => {
      await w.api('AppInst').delete(inst('web', 'autocluster-web'));
      const freed = cluster('reservable0');
      expect(freed?.reservedBy).toBe('');
      expect(freed?.reservationEndedAt?.seconds).toBeGreaterThan(0n);
      const op = recorder();
      const ai = await w.api<edgeproto.AppInst>('AppInst').create(inst('api', 'autocluster-api'), op);
      expect(op.messages).toEqual(['Chose reservable ClusterInst reservable0 to deploy AppInst']);
      expect(ai.realClusterName).toBe('reservable0');
      expect(cluster('reservable0')?.reservedBy).toBe('dev');
    });

    it('refuses the 65th auto-cluster of a cloudlet, writing nothing', async () => {
      // one App per instance: the original allows only ten DNS labels per App and cloudlet
      for (let i = 1; i <= 64; i++)
        await w.api('App').create(
          create(edgeproto.AppSchema, {
            key: { organization: 'dev', name: `big${i}`, version: '1' },
            imageType: edgeproto.ImageType.DOCKER,
            imagePath: 'registry.example.com/dev/big:1',
            defaultFlavor: { name: 'x1.medium' },
          }),
        );
      for (let i = 1; i < 64; i++) await w.api('AppInst').create(inst(`big${i}`, 'autocluster'));
      expect(cluster('reservable63')?.reservedBy).toBe('dev');
      const before = await w.kv.revision();
      const e = await rejection(w.api('AppInst').create(inst('big64', 'autocluster')));
      expect([e.code, e.message]).toEqual([
        Code.RESOURCE_EXHAUSTED,
        'Requested new reservable autocluster but maximum number reached',
      ]);
      expect(await w.kv.revision()).toBe(before);
    });
  });
}

autoclusterSuite('autoclusters on MemStore', () => placementWorld());

describeWithServers('autoclusters on etcd', () => {
  autoclusterSuite('etcd', () =>
    placementWorld({ kv: new EtcdStore({ endpoints: [testServers().etcd] }), region: uniqueName('r') }),
  );
});
