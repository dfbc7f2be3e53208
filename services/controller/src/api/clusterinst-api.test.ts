import { create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { dme, edgeproto } from '@edge/proto';
import { app, appInst, cluster, flavors, PLATFORM_FLAVORS } from '../placement/testing/fixtures';
import { placementHandlers } from '../placement';
import { refused, refusedDelete } from '../placement/testing/refusal';
import { placementWorld, readyCloudlet, recorder, type PlacementWorld } from '../placement/testing/world';

describe('ClusterInst rules', () => {
  let w: PlacementWorld;
  let c1: edgeproto.CloudletKey;
  const make = (ci: edgeproto.ClusterInst) => w.deps.tracked().create('ClusterInst', ci, recorder());
  beforeAll(async () => {
    w = await placementWorld();
    await flavors(w);
    c1 = await readyCloudlet(w, 'c1', PLATFORM_FLAVORS, { numDynamicIps: 2 });
  });
  afterAll(() => w.close());

  it.each([
    [
      'reservable7',
      {},
      'dev',
      'Invalid cluster name, format "reservable[digits]" is reserved for internal use',
    ],
    ['defaultclust', {}, 'dev', 'Invalid cluster name, defaultclust is reserved for internal use'],
    ['autocluster1', {}, 'dev', 'Cluster name prefix "autocluster" is reserved'],
    ['r1', { reservable: true }, 'dev', 'Only MobiledgeX ClusterInsts may be reservable'],
    [
      'mt',
      { multiTenant: true, deployment: 'docker' },
      'MobiledgeX',
      'Multi-tenant clusters must be of deployment type Kubernetes',
    ],
    ['m2', { numMasters: 2 }, 'dev', 'NumMasters cannot be greater than 1'],
    [
      'd1',
      { deployment: 'docker', numNodes: 1 },
      'dev',
      'NumMasters and NumNodes not applicable for deployment type docker',
    ],
    [
      'v1',
      { deployment: 'vm' },
      'dev',
      'ClusterInst is not needed for deployment type vm, just create an AppInst directly',
    ],
    ['nf', { flavor: { name: '' } }, 'dev', 'No Flavor specified'],
    [
      'as',
      { deployment: 'docker', autoScalePolicy: 'p' },
      'dev',
      'Cannot add auto scale policy to non-kubernetes ClusterInst',
    ],
    [
      'huge',
      { flavor: { name: 'x1.huge' } },
      'dev',
      'no suitable platform flavor found for x1.huge, please try a smaller flavor',
    ],
  ] as const)('refuses %s with the original message', async (name, extra, org, message) => {
    const [, msg] = await refused(w, () =>
      make(cluster(name, c1, extra as Partial<edgeproto.ClusterInst>, org)),
    );
    expect(msg).toBe(message);
  });

  it('refuses NumNodes 0 on platforms that need worker nodes', async () => {
    const az = await readyCloudlet(w, 'az', PLATFORM_FLAVORS, { platformType: edgeproto.PlatformType.AZURE });
    expect(await refused(w, () => make(cluster('k0', az)))).toEqual([
      Code.INVALID_ARGUMENT,
      'NumNodes cannot be 0 for PLATFORM_TYPE_AZURE',
    ]);
  });

  it('maps the flavor, records the cluster in CloudletRefs and hands out dedicated IPs until none are left', async () => {
    await make(cluster('dock1', c1, { deployment: 'docker' }));
    const ci = w.get<edgeproto.ClusterInst>('ClusterInst', cluster('dock1', c1));
    expect([ci?.nodeFlavor, ci?.ipAccess, ci?.allocatedIp, ci?.fqdn]).toEqual([
      'm4.small',
      edgeproto.IpAccess.DEDICATED,
      'dynamic',
      'dock1-dev.c1-op.local.mobiledgex.net',
    ]);
    const refs = w.get<edgeproto.CloudletRefs>(
      'CloudletRefs',
      create(edgeproto.CloudletRefsSchema, { key: c1 }),
    );
    expect([refs?.usedDynamicIps, refs?.clusterInsts.map((k) => k.clusterKey?.name)]).toEqual([1, ['dock1']]);
    expect(await refused(w, () => make(cluster('dock2', c1, { deployment: 'docker' })))).toEqual([
      Code.RESOURCE_EXHAUSTED,
      'No more dynamic IPs left',
    ]);
  });

  it('refuses a cluster beyond the RAM quota', async () => {
    const q = await readyCloudlet(w, 'quota', PLATFORM_FLAVORS, {
      resourceQuotas: [{ name: 'RAM', value: 4096n }],
    } as never);
    await make(cluster('k1', q, { numNodes: 1 }));
    expect(await refused(w, () => make(cluster('k2', q, { numNodes: 1 })))).toEqual([
      Code.RESOURCE_EXHAUSTED,
      'Not enough resources available: required RAM is 4096MB but only 0MB out of 4096MB is available',
    ]);
  });

  it('refuses creates on a cloudlet that is not ready', async () => {
    const off = await readyCloudlet(w, 'off', PLATFORM_FLAVORS);
    await w.put(
      'CloudletInfo',
      create(edgeproto.CloudletInfoSchema, { key: off, state: dme.CloudletState.OFFLINE }),
    );
    expect(await refused(w, () => make(cluster('k1', off)))).toEqual([
      Code.FAILED_PRECONDITION,
      'Cloudlet organization:"op" name:"off"  not ready, state is CLOUDLET_STATE_OFFLINE',
    ]);
  });

  it('refuses deleting a cluster with AppInsts, then frees its refs on delete', async () => {
    await w.api('App').create(app('web', { accessPorts: 'tcp:80' }));
    await make(cluster('shared1', c1));
    await w.deps.tracked().create('AppInst', appInst('web', 'shared1', c1), recorder());
    const [code, msg] = await refusedDelete(w, 'ClusterInst', cluster('shared1', c1));
    expect([code, msg]).toEqual([
      Code.FAILED_PRECONDITION,
      'ClusterInst in use by AppInst {"app_key":{"organization":"dev","name":"web","version":"1"},"cluster_inst_key":{"cluster_key":{"name":"shared1"},"cloudlet_key":{"organization":"op","name":"c1"},"organization":"dev"}}',
    ]);
    await w.api('AppInst').delete(appInst('web', 'shared1', c1));
    await w.api('ClusterInst').delete(cluster('shared1', c1));
    const refs = w.get<edgeproto.CloudletRefs>(
      'CloudletRefs',
      create(edgeproto.CloudletRefsSchema, { key: c1 }),
    );
    expect(refs?.clusterInsts.map((k) => k.clusterKey?.name)).toEqual(['dock1']);
    expect(refs?.rootLbPorts).toEqual({});
  });

  it('refuses deleting a reservable cluster its AppInst runs on; deletes idle ones', async () => {
    await w.api('AppInst').create(appInst('web', 'autocluster-x', c1));
    const res0 = cluster('reservable0', c1, {}, 'MobiledgeX');
    const [, msg] = await refusedDelete(w, 'ClusterInst', res0);
    expect(msg).toMatch(/^ClusterInst in use by AppInst \{.*"autocluster-x".*\}$/);
    await w.api('AppInst').delete(appInst('web', 'autocluster-x', c1));
    const del = placementHandlers(w.deps)['DeleteIdleReservableClusterInsts'] as (
      r: unknown,
    ) => Promise<unknown>;
    expect(await del(create(edgeproto.IdleReservableClusterInstsSchema, { idleTime: -1n }))).toEqual({
      message: 'Delete done',
    });
    expect(w.get('ClusterInst', res0)).toBeUndefined();
    const refs = w.get<edgeproto.CloudletRefs>(
      'CloudletRefs',
      create(edgeproto.CloudletRefsSchema, { key: c1 }),
    );
    expect(refs?.reservedAutoClusterIds).toBe(0n);
  });
});
