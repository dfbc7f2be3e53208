import { clone, create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { dme, edgeproto } from '@edge/proto';
import { app, appInst, cluster, flavors, PLATFORM_FLAVORS } from '../placement/testing/fixtures';
import { refused } from '../placement/testing/refusal';
import { placementWorld, readyCloudlet, recorder, type PlacementWorld } from '../placement/testing/world';

const KEY_C1 = '"cloudlet_key":{"organization":"op","name":"c1"}';

describe('AppInst placement', () => {
  let w: PlacementWorld;
  let c1: edgeproto.CloudletKey;
  const createInst = (ai: edgeproto.AppInst) => w.api<edgeproto.AppInst>('AppInst').create(ai, recorder());
  beforeAll(async () => {
    w = await placementWorld();
    await flavors(w);
    c1 = await readyCloudlet(w, 'c1', PLATFORM_FLAVORS);
    const vm = {
      imageType: edgeproto.ImageType.QCOW,
      imagePath: 'https://a.example.com/vm.qcow2',
      md5sum: 'x',
      accessPorts: 'tcp:22000',
    };
    await w.api('App').create(app('vm', vm));
    await w.api('App').create(app('web', { accessPorts: 'tcp:80' }));
    await w.api('App').create(app('web2', { accessPorts: 'tcp:80' }));
    await w.api('App').create(app('dock', { deployment: 'docker', accessPorts: 'tcp:80' }));
    await w.api('App').create(app('dock2', { deployment: 'docker', accessPorts: 'tcp:80' }));
    await w.api('App').create(app('range', { accessPorts: 'udp:100-200' }));
    await w.deps.tracked().create('ClusterInst', cluster('k1', c1), recorder());
    await w.deps.tracked().create('ClusterInst', cluster('d1', c1, { deployment: 'docker' }), recorder());
  });
  afterAll(() => w.close());

  it('refuses autoclusters for VM Apps', async () => {
    expect(await refused(w, () => createInst(appInst('vm', 'autocluster1', c1)))).toEqual([
      Code.INVALID_ARGUMENT,
      'No cluster required for App deployment type vm, cannot use cluster name autocluster which attempts to use or create a ClusterInst',
    ]);
  });

  it('refuses a missing, unready, foreign or mismatched named cluster', async () => {
    expect(await refused(w, () => createInst(appInst('web', 'nope', c1)))).toEqual([
      Code.NOT_FOUND,
      `ClusterInst key {"cluster_key":{"name":"nope"},${KEY_C1},"organization":"dev"} not found`,
    ]);
    expect(await refused(w, () => createInst(appInst('web', '', c1)))).toEqual([
      Code.INVALID_ARGUMENT,
      'Cannot use blank or default Cluster name when ClusterInst is required',
    ]);
    await w.put(
      'ClusterInst',
      cluster('pending', c1, { state: edgeproto.TrackedState.CREATE_REQUESTED, deployment: 'kubernetes' }),
    );
    expect(await refused(w, () => createInst(appInst('web', 'pending', c1)))).toEqual([
      Code.FAILED_PRECONDITION,
      `ClusterInst {"cluster_key":{"name":"pending"},${KEY_C1},"organization":"dev"} not ready, it is CREATE_REQUESTED`,
    ]);
    await w.put(
      'ClusterInst',
      cluster('theirs', c1, { state: edgeproto.TrackedState.READY, deployment: 'kubernetes' }, 'other'),
    );
    expect(await refused(w, () => createInst(appInst('web', 'theirs', c1, {}, 'other')))).toEqual([
      Code.FAILED_PRECONDITION,
      'Developer name mismatch between App: dev and ClusterInst: other',
    ]);
    expect(await refused(w, () => createInst(appInst('dock', 'k1', c1)))).toEqual([
      Code.FAILED_PRECONDITION,
      'Cannot deploy docker App into kubernetes ClusterInst',
    ]);
  });

  it('maps ports on the shared root LB, moving a taken port to 10000 and up', async () => {
    const a = await createInst(appInst('web', 'k1', c1));
    const b = await createInst(appInst('web2', 'k1', c1));
    expect([a.mappedPorts[0]?.publicPort, b.mappedPorts[0]?.publicPort]).toEqual([80, 10000]);
    expect([a.uri, a.flavor?.name, a.vmFlavor]).toEqual([
      'shared.c1-op.local.mobiledgex.net',
      'x1.small',
      'm4.small',
    ]);
    expect(await refused(w, () => createInst(appInst('range', 'k1', c1)))).toEqual([
      Code.INVALID_ARGUMENT,
      'Shared IP access with port range not allowed',
    ]);
  });

  it('uses the dedicated LB of a docker cluster and refuses overlapping ports there', async () => {
    const a = await createInst(appInst('dock', 'd1', c1));
    expect([a.uri, a.mappedPorts[0]?.publicPort]).toEqual(['d1-dev.c1-op.local.mobiledgex.net', 80]);
    expect(await refused(w, () => createInst(appInst('dock2', 'd1', c1)))).toEqual([
      Code.FAILED_PRECONDITION,
      'port 80 is already in use on the cluster',
    ]);
  });

  it('gives a VM App its own URI and checks its resources against the quota', async () => {
    const a = await createInst(appInst('vm', '', c1));
    expect([a.uri, a.vmFlavor, a.mappedPorts[0]?.publicPort]).toEqual([
      'vm1-dev.c1-op.local.mobiledgex.net',
      'm4.small',
      22000,
    ]);
    const q = await readyCloudlet(w, 'q', PLATFORM_FLAVORS, {
      resourceQuotas: [{ name: 'vCPUs', value: 1n }],
    } as never);
    expect(await refused(w, () => createInst(appInst('vm', '', q)))).toEqual([
      Code.RESOURCE_EXHAUSTED,
      'Not enough resources available: required vCPUs is 2 but only 1 out of 1 is available',
    ]);
  });

  it('refuses AppInsts on a cloudlet that is not ready, unless the CRM is ignored', async () => {
    const stored = w.get<edgeproto.CloudletInfo>(
      'CloudletInfo',
      create(edgeproto.CloudletInfoSchema, { key: c1 }),
    );
    const info = clone(edgeproto.CloudletInfoSchema, stored as edgeproto.CloudletInfo);
    info.state = dme.CloudletState.OFFLINE;
    await w.put('CloudletInfo', info);
    expect(await refused(w, () => createInst(appInst('vm', 'vm2', c1)))).toEqual([
      Code.FAILED_PRECONDITION,
      'Cloudlet organization:"op" name:"c1"  not ready, state is CLOUDLET_STATE_OFFLINE',
    ]);
    await createInst(appInst('vm', 'vm2', c1, { crmOverride: edgeproto.CRMOverride.IGNORE_CRM }));
  });
});
