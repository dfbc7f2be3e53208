import { edgeproto } from '@edge/proto';
import { collect, startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';

describe('ShowAppInstInfo / ShowClusterInstInfo', () => {
  let h: ControllerHarness;
  const op = { organization: 'op', name: 'c1' };
  const ciKey = (name: string) => ({ clusterKey: { name }, cloudletKey: op, organization: 'dev' });
  const aiKey = (name: string) => ({
    appKey: { organization: 'dev', name, version: '1' },
    clusterInstKey: ciKey('cl'),
  });
  const T = edgeproto.TrackedState;
  beforeAll(async () => {
    h = await startController();
    await seed(
      h,
      [
        'ClusterInst',
        edgeproto.ClusterInstSchema,
        {
          key: ciKey('cl'),
          state: T.READY,
          resources: { vms: [{ name: 'node1', type: 'k8s-cluster-node' }] },
        },
      ],
      [
        'ClusterInst',
        edgeproto.ClusterInstSchema,
        { key: ciKey('bad'), state: T.CREATE_ERROR, errors: ['boom'] },
      ],
      [
        'AppInst',
        edgeproto.AppInstSchema,
        {
          key: aiKey('a'),
          state: T.READY,
          uri: 'a.example.com',
          runtimeInfo: { containerIds: ['c1'] },
          powerState: edgeproto.PowerState.POWER_ON,
          revision: 'not-in-info',
        },
      ],
      ['AppInst', edgeproto.AppInstSchema, { key: aiKey('b'), state: T.CREATING }],
    );
  });
  afterAll(() => h.close());

  it('derives AppInstInfo from the AppInst, filtered like Show', async () => {
    const api = h.client(edgeproto.AppInstInfoApi);
    const all = await collect(api.showAppInstInfo({}));
    expect(all.map((i) => i.key?.appKey?.name).sort()).toEqual(['a', 'b']);
    const ready = await collect(api.showAppInstInfo({ state: T.READY }));
    expect(ready).toHaveLength(1);
    expect(ready[0]).toMatchObject({
      state: T.READY,
      uri: 'a.example.com',
      runtimeInfo: { containerIds: ['c1'] },
      powerState: edgeproto.PowerState.POWER_ON,
    });
    expect(await collect(api.showAppInstInfo({ key: aiKey('zz') }))).toEqual([]);
  });

  it('derives ClusterInstInfo from the ClusterInst, filtered like Show', async () => {
    const api = h.client(edgeproto.ClusterInstInfoApi);
    const all = await collect(api.showClusterInstInfo({}));
    expect(all.map((i) => i.key?.clusterKey?.name).sort()).toEqual(['bad', 'cl']);
    const bad = await collect(api.showClusterInstInfo({ key: ciKey('bad') }));
    expect(bad.map((i) => [i.state, i.errors])).toEqual([[T.CREATE_ERROR, ['boom']]]);
    const cl = await collect(api.showClusterInstInfo({ state: T.READY }));
    expect(cl[0]?.resources?.vms.map((v) => v.name)).toEqual(['node1']);
  });
});
