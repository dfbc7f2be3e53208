import { create, type DescMessage, type Message } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { collect, startController, type ControllerHarness } from '../testing/harness';
import { rejection } from '../testing/rejection';

/**
 * Reference §1.7, row by row, through the gRPC API: each delete of a referenced object is
 * refused with the original's exact message, and the object stays as it was.
 */
describe('dependency rules of reference §1.7', () => {
  let h: ControllerHarness;
  beforeAll(async () => {
    h = await startController();
  });
  afterAll(() => h.close());

  /** Writes fixtures straight into the store (bypassing rules), as a CRM-less region would hold them. */
  const seed = async (...objs: [string, DescMessage, Record<string, unknown>][]): Promise<void> => {
    await h.ctrl.store.apply(async (tx) => {
      for (const [type, schema, init] of objs) tx.put(h.reg.get(type), create(schema, init));
    });
  };
  const stored = (type: string, schema: DescMessage, init: Record<string, unknown>): Message | undefined =>
    h.ctrl.view.get(h.reg.get(type), create(schema, init));

  const op = { organization: 'op', name: 'c1' };
  const appKey = { organization: 'dev', name: 'app', version: '1' };
  const clusterKey = { clusterKey: { name: 'cl' }, cloudletKey: op, organization: 'dev' };

  it.each<
    [
      string,
      () => Promise<unknown>,
      () => Promise<unknown>,
      string,
      string,
      DescMessage,
      Record<string, unknown>,
    ]
  >([
    [
      'Flavor ← App',
      () =>
        seed(
          ['Flavor', edgeproto.FlavorSchema, { key: { name: 'fa' }, ram: 1n, vcpus: 1n, disk: 1n }],
          ['App', edgeproto.AppSchema, { key: appKey, defaultFlavor: { name: 'fa' } }],
        ),
      () => h.client(edgeproto.FlavorApi).deleteFlavor({ key: { name: 'fa' } }),
      'Flavor in use by App {"organization":"dev","name":"app","version":"1"}',
      'Flavor',
      edgeproto.FlavorSchema,
      { key: { name: 'fa' } },
    ],
    [
      'Flavor ← Settings',
      async () => {
        await seed(['Flavor', edgeproto.FlavorSchema, { key: { name: 'fm' }, ram: 1n, vcpus: 1n, disk: 1n }]);
        await h
          .client(edgeproto.SettingsApi)
          .updateSettings({ masterNodeFlavor: 'fm', fields: ['master_node_flavor'] });
      },
      () => h.client(edgeproto.FlavorApi).deleteFlavor({ key: { name: 'fm' } }),
      'Flavor in use by Settings MasterNodeFlavor, change Settings.MasterNodeFlavor first',
      'Flavor',
      edgeproto.FlavorSchema,
      { key: { name: 'fm' } },
    ],
    [
      'Flavor ← Cloudlet',
      () =>
        seed(
          ['Flavor', edgeproto.FlavorSchema, { key: { name: 'fc' }, ram: 1n, vcpus: 1n, disk: 1n }],
          [
            'Cloudlet',
            edgeproto.CloudletSchema,
            { key: { organization: 'op', name: 'cf' }, flavor: { name: 'fc' } },
          ],
        ),
      () => h.client(edgeproto.FlavorApi).deleteFlavor({ key: { name: 'fc' } }),
      'Flavor in use by Cloudlet {"organization":"op","name":"cf"}',
      'Flavor',
      edgeproto.FlavorSchema,
      { key: { name: 'fc' } },
    ],
    [
      'App ← static AppInst',
      () =>
        seed(
          ['App', edgeproto.AppSchema, { key: { ...appKey, name: 'a2' } }],
          [
            'AppInst',
            edgeproto.AppInstSchema,
            {
              key: { appKey: { ...appKey, name: 'a2' }, clusterInstKey: clusterKey },
              liveness: edgeproto.Liveness.STATIC,
            },
          ],
        ),
      () => h.client(edgeproto.AppApi).deleteApp({ key: { ...appKey, name: 'a2' } }),
      'Application in use by static AppInst {"app_key":{"organization":"dev","name":"a2","version":"1"},"cluster_inst_key":{"cluster_key":{"name":"cl"},"cloudlet_key":{"organization":"op","name":"c1"},"organization":"dev"}}',
      'App',
      edgeproto.AppSchema,
      { key: { ...appKey, name: 'a2' } },
    ],
    [
      'AutoProvPolicy ← App',
      () =>
        seed(
          ['AutoProvPolicy', edgeproto.AutoProvPolicySchema, { key: { organization: 'dev', name: 'ap' } }],
          ['App', edgeproto.AppSchema, { key: { ...appKey, name: 'a3' }, autoProvPolicies: ['ap'] }],
        ),
      () =>
        h
          .client(edgeproto.AutoProvPolicyApi)
          .deleteAutoProvPolicy({ key: { organization: 'dev', name: 'ap' } }),
      'Policy in use by App {"organization":"dev","name":"a3","version":"1"}',
      'AutoProvPolicy',
      edgeproto.AutoProvPolicySchema,
      { key: { organization: 'dev', name: 'ap' } },
    ],
    [
      'AutoScalePolicy ← ClusterInst',
      () =>
        seed(
          ['AutoScalePolicy', edgeproto.AutoScalePolicySchema, { key: { organization: 'dev', name: 'as' } }],
          [
            'ClusterInst',
            edgeproto.ClusterInstSchema,
            { key: { ...clusterKey, clusterKey: { name: 'cas' } }, autoScalePolicy: 'as' },
          ],
        ),
      () =>
        h
          .client(edgeproto.AutoScalePolicyApi)
          .deleteAutoScalePolicy({ key: { organization: 'dev', name: 'as' } }),
      'Policy in use by ClusterInst {"cluster_key":{"name":"cas"},"cloudlet_key":{"organization":"op","name":"c1"},"organization":"dev"}',
      'AutoScalePolicy',
      edgeproto.AutoScalePolicySchema,
      { key: { organization: 'dev', name: 'as' } },
    ],
    [
      'TrustPolicy ← Cloudlet',
      () =>
        seed(
          ['TrustPolicy', edgeproto.TrustPolicySchema, { key: { organization: 'op', name: 'tp' } }],
          [
            'Cloudlet',
            edgeproto.CloudletSchema,
            { key: { organization: 'op', name: 'ct' }, trustPolicy: 'tp' },
          ],
        ),
      () =>
        collect(
          h.client(edgeproto.TrustPolicyApi).deleteTrustPolicy({ key: { organization: 'op', name: 'tp' } }),
        ),
      'Policy in use by Cloudlet {"organization":"op","name":"ct"}',
      'TrustPolicy',
      edgeproto.TrustPolicySchema,
      { key: { organization: 'op', name: 'tp' } },
    ],
    [
      'ResTagTable ← Cloudlet',
      () =>
        seed(
          ['ResTagTable', edgeproto.ResTagTableSchema, { key: { organization: 'op', name: 'gpus' } }],
          [
            'Cloudlet',
            edgeproto.CloudletSchema,
            {
              key: { organization: 'op', name: 'cr' },
              resTagMap: { gpu: { organization: 'op', name: 'gpus' } },
            },
          ],
        ),
      () =>
        h.client(edgeproto.ResTagTableApi).deleteResTagTable({ key: { organization: 'op', name: 'gpus' } }),
      'ResTagTable in use by Cloudlet {"organization":"op","name":"cr"}',
      'ResTagTable',
      edgeproto.ResTagTableSchema,
      { key: { organization: 'op', name: 'gpus' } },
    ],
    [
      'VMPool ← Cloudlet',
      () =>
        seed(
          ['VMPool', edgeproto.VMPoolSchema, { key: { organization: 'op', name: 'pool' } }],
          ['Cloudlet', edgeproto.CloudletSchema, { key: { organization: 'op', name: 'cv' }, vmPool: 'pool' }],
        ),
      () => h.client(edgeproto.VMPoolApi).deleteVMPool({ key: { organization: 'op', name: 'pool' } }),
      'VM pool in use by Cloudlet',
      'VMPool',
      edgeproto.VMPoolSchema,
      { key: { organization: 'op', name: 'pool' } },
    ],
    [
      'Network ← ClusterInst',
      () =>
        seed(
          ['Network', edgeproto.NetworkSchema, { key: { cloudletKey: op, name: 'net' } }],
          [
            'ClusterInst',
            edgeproto.ClusterInstSchema,
            { key: { ...clusterKey, clusterKey: { name: 'cnet' } }, networks: ['net'] },
          ],
        ),
      () => collect(h.client(edgeproto.NetworkApi).deleteNetwork({ key: { cloudletKey: op, name: 'net' } })),
      'Network in use by ClusterInst {"cluster_key":{"name":"cnet"},"cloudlet_key":{"organization":"op","name":"c1"},"organization":"dev"}',
      'Network',
      edgeproto.NetworkSchema,
      { key: { cloudletKey: op, name: 'net' } },
    ],
    [
      'AlertPolicy ← App',
      () =>
        seed(
          ['AlertPolicy', edgeproto.AlertPolicySchema, { key: { organization: 'dev', name: 'al' } }],
          ['App', edgeproto.AppSchema, { key: { ...appKey, name: 'a4' }, alertPolicies: ['al'] }],
        ),
      () =>
        h.client(edgeproto.AlertPolicyApi).deleteAlertPolicy({ key: { organization: 'dev', name: 'al' } }),
      'Alert is in use by App {"organization":"dev","name":"a4","version":"1"}',
      'AlertPolicy',
      edgeproto.AlertPolicySchema,
      { key: { organization: 'dev', name: 'al' } },
    ],
    [
      'CloudletPool ← TrustPolicyException',
      () =>
        seed(
          ['CloudletPool', edgeproto.CloudletPoolSchema, { key: { organization: 'op', name: 'cp' } }],
          ['App', edgeproto.AppSchema, { key: { ...appKey, name: 'a5' } }],
          [
            'TrustPolicyException',
            edgeproto.TrustPolicyExceptionSchema,
            {
              key: {
                appKey: { ...appKey, name: 'a5' },
                cloudletPoolKey: { organization: 'op', name: 'cp' },
                name: 'tpe',
              },
            },
          ],
        ),
      () =>
        h.client(edgeproto.CloudletPoolApi).deleteCloudletPool({ key: { organization: 'op', name: 'cp' } }),
      'CloudletPool in use by Trust Policy Exception {"app_key":{"organization":"dev","name":"a5","version":"1"},"cloudlet_pool_key":{"organization":"op","name":"cp"},"name":"tpe"}',
      'CloudletPool',
      edgeproto.CloudletPoolSchema,
      { key: { organization: 'op', name: 'cp' } },
    ],
    [
      'Cloudlet ← ClusterInst',
      () =>
        seed(
          [
            'Cloudlet',
            edgeproto.CloudletSchema,
            { key: { organization: 'op', name: 'k1' }, state: edgeproto.TrackedState.READY },
          ],
          [
            'ClusterInst',
            edgeproto.ClusterInstSchema,
            {
              key: {
                clusterKey: { name: 'ck' },
                cloudletKey: { organization: 'op', name: 'k1' },
                organization: 'dev',
              },
            },
          ],
        ),
      () =>
        collect(h.client(edgeproto.CloudletApi).deleteCloudlet({ key: { organization: 'op', name: 'k1' } })),
      'Cloudlet in use by ClusterInst name ck Organization dev',
      'Cloudlet',
      edgeproto.CloudletSchema,
      { key: { organization: 'op', name: 'k1' } },
    ],
    [
      'Cloudlet ← AppInst',
      () =>
        seed(
          [
            'Cloudlet',
            edgeproto.CloudletSchema,
            { key: { organization: 'op', name: 'k2' }, state: edgeproto.TrackedState.READY },
          ],
          [
            'AppInst',
            edgeproto.AppInstSchema,
            {
              key: {
                appKey,
                clusterInstKey: {
                  clusterKey: { name: 'defaultclust' },
                  cloudletKey: { organization: 'op', name: 'k2' },
                  organization: 'dev',
                },
              },
            },
          ],
        ),
      () =>
        collect(h.client(edgeproto.CloudletApi).deleteCloudlet({ key: { organization: 'op', name: 'k2' } })),
      'Cloudlet in use by AppInst {"app_key":{"organization":"dev","name":"app","version":"1"},"cluster_inst_key":{"cluster_key":{"name":"defaultclust"},"cloudlet_key":{"organization":"op","name":"k2"},"organization":"dev"}}',
      'Cloudlet',
      edgeproto.CloudletSchema,
      { key: { organization: 'op', name: 'k2' } },
    ],
    [
      'Cloudlet ← CloudletPool',
      () =>
        seed(
          [
            'Cloudlet',
            edgeproto.CloudletSchema,
            { key: { organization: 'op', name: 'k3' }, state: edgeproto.TrackedState.READY },
          ],
          [
            'CloudletPool',
            edgeproto.CloudletPoolSchema,
            { key: { organization: 'op', name: 'kp' }, cloudlets: [{ organization: 'op', name: 'k3' }] },
          ],
        ),
      () =>
        collect(h.client(edgeproto.CloudletApi).deleteCloudlet({ key: { organization: 'op', name: 'k3' } })),
      'Cloudlet in use by CloudletPool {"organization":"op","name":"kp"}',
      'Cloudlet',
      edgeproto.CloudletSchema,
      { key: { organization: 'op', name: 'k3' } },
    ],
    [
      'Cloudlet ← AutoProvPolicy',
      () =>
        seed(
          [
            'Cloudlet',
            edgeproto.CloudletSchema,
            { key: { organization: 'op', name: 'k4' }, state: edgeproto.TrackedState.READY },
          ],
          [
            'AutoProvPolicy',
            edgeproto.AutoProvPolicySchema,
            {
              key: { organization: 'dev', name: 'kap' },
              cloudlets: [{ key: { organization: 'op', name: 'k4' } }],
            },
          ],
        ),
      () =>
        collect(h.client(edgeproto.CloudletApi).deleteCloudlet({ key: { organization: 'op', name: 'k4' } })),
      'Cloudlet in use by AutoProvPolicy {"organization":"dev","name":"kap"}',
      'Cloudlet',
      edgeproto.CloudletSchema,
      { key: { organization: 'op', name: 'k4' } },
    ],
    [
      'Cloudlet ← Network',
      () =>
        seed(
          [
            'Cloudlet',
            edgeproto.CloudletSchema,
            { key: { organization: 'op', name: 'k5' }, state: edgeproto.TrackedState.READY },
          ],
          [
            'Network',
            edgeproto.NetworkSchema,
            { key: { cloudletKey: { organization: 'op', name: 'k5' }, name: 'kn' } },
          ],
        ),
      () =>
        collect(h.client(edgeproto.CloudletApi).deleteCloudlet({ key: { organization: 'op', name: 'k5' } })),
      'Cloudlet in use by Network {"cloudlet_key":{"organization":"op","name":"k5"},"name":"kn"}',
      'Cloudlet',
      edgeproto.CloudletSchema,
      { key: { organization: 'op', name: 'k5' } },
    ],
  ])('%s', async (_row, setup, del, message, type, schema, key) => {
    await setup();
    const before = stored(type, schema, key);
    expect(before).toBeDefined();
    const e = await rejection(del());
    expect([e.code, e.message]).toEqual([Code.FAILED_PRECONDITION, message]);
    expect(stored(type, schema, key)).toEqual(before);
  });
});
