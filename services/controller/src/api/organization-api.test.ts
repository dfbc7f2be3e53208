import { edgeproto } from '@edge/proto';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';

describe('OrganizationInUse', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startController();
    const op = { organization: 'op', name: 'c1' };
    await seed(
      h,
      ['Cloudlet', edgeproto.CloudletSchema, { key: op }],
      ['App', edgeproto.AppSchema, { key: { organization: 'dev', name: 'a', version: '1' } }],
      [
        'ClusterInst',
        edgeproto.ClusterInstSchema,
        {
          key: { clusterKey: { name: 'reservable0' }, cloudletKey: op, organization: 'MobiledgeX' },
          reservable: true,
          reservedBy: 'tenant',
        },
      ],
      [
        'AppInst',
        edgeproto.AppInstSchema,
        {
          key: {
            appKey: { organization: 'dev', name: 'a', version: '1' },
            clusterInstKey: { clusterKey: { name: 'reservable0' }, cloudletKey: op, organization: 'tenant' },
          },
        },
      ],
    );
  });
  afterAll(() => h.close());

  it.each<[string, string, number]>([
    ['dev', 'in use by some App, AppInst', 1],
    ['op', 'in use by some AppInst, Cloudlet, ClusterInst', 1],
    ['tenant', 'in use by some AppInst, ClusterInst', 1],
    ['nobody', '', 0],
  ])('%s → %j', async (name, message, code) => {
    const res = await h.client(edgeproto.OrganizationApi).organizationInUse({ name });
    expect([res.message, res.code]).toEqual([message, code]);
  });
});
