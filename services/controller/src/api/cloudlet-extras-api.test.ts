import { create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import type { Client } from '@edge/rpc';
import { collect, startController, type ControllerHarness } from '../testing/harness';
import { refusal, seed, stored, type Fixture } from '../testing/seed';

const S = edgeproto.CloudletSchema;
const op = { organization: 'op', name: 'c1' };
const cloudlet = (key: Record<string, unknown>, extra: Record<string, unknown> = {}): Fixture => [
  'Cloudlet',
  S,
  { key, ...extra },
];

describe('cloudlet extras', () => {
  let h: ControllerHarness;
  let api: Client<typeof edgeproto.CloudletApi>;
  const get = (key: Record<string, unknown>) => stored<edgeproto.Cloudlet>(h, 'Cloudlet', S, { key });
  beforeAll(async () => {
    h = await startController();
    api = h.client(edgeproto.CloudletApi);
    await seed(
      h,
      cloudlet(op),
      cloudlet({ organization: 'op', name: 'gone' }, { deletePrepare: true }),
      ['ResTagTable', edgeproto.ResTagTableSchema, { key: { name: 'gputab', organization: 'op' } }],
      [
        'ResTagTable',
        edgeproto.ResTagTableSchema,
        { key: { name: 'dying', organization: 'op' }, deletePrepare: true },
      ],
    );
  });
  afterAll(() => h.close());

  describe('Add/RemoveCloudletResMapping', () => {
    it('maps a lower-cased resource to the operator table, and removes it', async () => {
      await api.addCloudletResMapping({ key: op, mapping: { GPU: 'gputab' } });
      expect(get(op)?.resTagMap['gpu']).toMatchObject({ name: 'gputab', organization: 'op' });
      await api.removeCloudletResMapping({ key: op, mapping: { gpu: '' } });
      expect(get(op)?.resTagMap).toEqual({});
    });

    it.each<[string, Record<string, unknown>, Record<string, string>, Code, string]>([
      [
        'missing cloudlet',
        { organization: 'op', name: 'nope' },
        { gpu: 'gputab' },
        Code.NOT_FOUND,
        'Cloudlet key {"organization":"op","name":"nope"} not found',
      ],
      [
        'cloudlet being deleted',
        { organization: 'op', name: 'gone' },
        { gpu: 'gputab' },
        Code.FAILED_PRECONDITION,
        'Cloudlet {"organization":"op","name":"gone"} is being deleted',
      ],
      [
        'bad resource name',
        op,
        { foo: 'gputab' },
        Code.INVALID_ARGUMENT,
        'Invalid resource name foo found, must be one of [gpu nas nic] ',
      ],
      [
        'missing table',
        op,
        { gpu: 'missing' },
        Code.NOT_FOUND,
        'ResTagTable key {"name":"missing","organization":"op"} not found',
      ],
      [
        'table being deleted',
        op,
        { gpu: 'dying' },
        Code.FAILED_PRECONDITION,
        'ResTagTable {"name":"dying","organization":"op"} is being deleted',
      ],
    ])('refuses a %s', async (_what, key, mapping, code, message) => {
      const err = await refusal(h, cloudlet(key), () => api.addCloudletResMapping({ key, mapping }));
      expect([err.code, err.message]).toEqual([code, message]);
    });

    it('refuses removing from a missing cloudlet', async () => {
      const key = { organization: 'op', name: 'nope' };
      const err = await refusal(h, cloudlet(key), () =>
        api.removeCloudletResMapping({ key, mapping: { gpu: '' } }),
      );
      expect([err.code, err.message]).toEqual([
        Code.NOT_FOUND,
        'Cloudlet key {"organization":"op","name":"nope"} not found',
      ]);
    });
  });

  describe('Add/RemoveCloudletAllianceOrg', () => {
    it('adds and removes an alliance org; removing an absent one changes nothing', async () => {
      await api.addCloudletAllianceOrg({ key: op, organization: 'ally' });
      expect(get(op)?.allianceOrgs).toEqual(['ally']);
      await api.removeCloudletAllianceOrg({ key: op, organization: 'other' });
      expect(get(op)?.allianceOrgs).toEqual(['ally']);
      await api.removeCloudletAllianceOrg({ key: op, organization: 'ally' });
      expect(get(op)?.allianceOrgs).toEqual([]);
    });

    it.each<[string, 'add' | 'remove', Record<string, unknown>, string, Code, string]>([
      ['no org (add)', 'add', op, '', Code.INVALID_ARGUMENT, 'No alliance organization specified'],
      ['no org (remove)', 'remove', op, '', Code.INVALID_ARGUMENT, 'No alliance organization specified'],
      [
        'own org',
        'add',
        op,
        'op',
        Code.INVALID_ARGUMENT,
        `Cannot add cloudlet's own org "op" as alliance org`,
      ],
      ['duplicate', 'add', op, 'dup', Code.INVALID_ARGUMENT, 'Duplicate alliance org "dup" specified'],
      [
        'missing cloudlet',
        'add',
        { organization: 'op', name: 'nope' },
        'x',
        Code.NOT_FOUND,
        'Cloudlet key {"organization":"op","name":"nope"} not found',
      ],
    ])('refuses %s', async (what, verb, key, organization, code, message) => {
      if (what === 'duplicate') await api.addCloudletAllianceOrg({ key, organization });
      const call =
        verb === 'add'
          ? () => api.addCloudletAllianceOrg({ key, organization })
          : () => api.removeCloudletAllianceOrg({ key, organization });
      const err = await refusal(h, cloudlet(key), call);
      expect([err.code, err.message]).toEqual([code, message]);
    });
  });

  describe('GetCloudletProps / GetCloudletResourceQuotaProps', () => {
    const P = edgeproto.PlatformType;
    it('answers the fake platforms with their properties', async () => {
      const res = await api.getCloudletProps({ platformType: P.FAKE_SINGLE_CLUSTER });
      expect(res.properties['PROP_1']).toMatchObject({
        name: 'Property 1',
        description: 'First Property',
        secret: true,
        mandatory: true,
      });
      expect(Object.keys(res.properties).sort()).toEqual(['PROP_1', 'PROP_2']);
      expect((await api.getCloudletProps({ platformType: P.DIND })).properties).toEqual({});
    });

    it('lists the common resources, then the platform ones', async () => {
      const fake = await api.getCloudletResourceQuotaProps({ platformType: P.FAKE });
      expect(fake.properties.map((p) => [p.name, p.description])).toEqual([
        ['RAM', 'Limit on RAM available (MB)'],
        ['vCPUs', 'Limit on vCPUs available'],
        ['Disk', 'Limit on disk available (GB)'],
        ['GPUs', 'Limit on GPUs available'],
        ['External IPs', 'Limit on external IPs available'],
        ['Instances', 'Limit on number of instances that can be provisioned'],
      ]);
      const kind = await api.getCloudletResourceQuotaProps({ platformType: P.KIND });
      expect(kind.properties).toHaveLength(5);
    });

    it.each(['getCloudletProps', 'getCloudletResourceQuotaProps'] as const)(
      '%s refuses a platform without an implementation',
      async (rpc) => {
        const err = await refusal(h, cloudlet(op), () => api[rpc]({ platformType: P.OPENSTACK }));
        expect([err.code, err.message]).toEqual([
          Code.INVALID_ARGUMENT,
          'unknown platform PLATFORM_TYPE_OPENSTACK',
        ]);
      },
    );
  });

  describe('GetCloudletResourceUsage', () => {
    const c2 = { organization: 'op', name: 'c2' };
    beforeAll(() =>
      seed(
        h,
        cloudlet(c2, {
          resourceQuotas: [{ name: 'RAM', value: 8192n, alertThreshold: 50 }],
          defaultResourceAlertThreshold: 80,
        }),
        [
          'CloudletInfo',
          edgeproto.CloudletInfoSchema,
          {
            key: c2,
            flavors: [{ name: 'm4.small', vcpus: 2n, ram: 2048n, disk: 20n }],
            resourcesSnapshot: { info: [{ name: 'RAM', value: 1024n, infraMaxValue: 40960n, units: 'MB' }] },
          },
        ],
        [
          'ClusterInst',
          edgeproto.ClusterInstSchema,
          {
            key: { clusterKey: { name: 'cl' }, cloudletKey: c2, organization: 'dev' },
            deployment: 'docker',
            nodeFlavor: 'm4.small',
            ipAccess: edgeproto.IpAccess.SHARED,
          },
        ],
        [
          'CloudletRefs',
          edgeproto.CloudletRefsSchema,
          { key: c2, clusterInsts: [{ clusterKey: { name: 'cl' }, organization: 'dev' }] },
        ],
      ),
    );
    const rows = (r: edgeproto.CloudletResourceUsage) =>
      r.info.map((i) => [i.name, i.value, i.infraMaxValue, i.quotaMaxValue, i.units, i.alertThreshold]);

    it('counts what the Controller placed, with quotas and thresholds', async () => {
      const res = await api.getCloudletResourceUsage({ key: c2 });
      expect(res.key).toMatchObject(c2);
      expect(rows(res)).toEqual([
        ['Disk', 20n, 0n, 0n, '', 80],
        ['External IPs', 0n, 0n, 0n, '', 80],
        ['GPUs', 0n, 0n, 0n, '', 80],
        ['Instances', 1n, 0n, 0n, '', 80],
        ['RAM', 2048n, 40960n, 8192n, 'MB', 50],
        ['vCPUs', 2n, 0n, 0n, '', 80],
      ]);
    });

    it('with infra_usage, adds what the CRM does not report yet to its numbers', async () => {
      const res = await api.getCloudletResourceUsage({ key: c2, infraUsage: true });
      expect(res.infraUsage).toBe(true);
      expect(rows(res).find((r) => r[0] === 'RAM')).toEqual(['RAM', 3072n, 40960n, 8192n, 'MB', 50]);
    });

    it.each<[Record<string, unknown>, string]>([
      [{ organization: 'op', name: 'nope' }, 'Specified Cloudlet not found'],
      [op, 'No resource information found for Cloudlet {op c1 }'],
    ])('refuses %j', async (key, message) => {
      const err = await refusal(h, cloudlet(key), () => api.getCloudletResourceUsage({ key }));
      expect([err.code, err.message]).toEqual([Code.NOT_FOUND, message]);
    });
  });

  it('GetOrganizationsOnCloudlet lists the orgs of its ClusterInsts and AppInsts', async () => {
    const c3 = { organization: 'op', name: 'c3' };
    const inst = (app: string, appOrg: string, clusterOrg: string, on: typeof c3): Fixture => [
      'AppInst',
      edgeproto.AppInstSchema,
      {
        key: {
          appKey: { organization: appOrg, name: app, version: '1' },
          clusterInstKey: { clusterKey: { name: 'cl' }, cloudletKey: on, organization: clusterOrg },
        },
      },
    ];
    await seed(
      h,
      cloudlet(c3),
      [
        'ClusterInst',
        edgeproto.ClusterInstSchema,
        { key: { clusterKey: { name: 'cl' }, cloudletKey: c3, organization: 'dev' } },
      ],
      inst('a', 'dev2', 'dev', c3),
      inst('b', 'elsewhere', 'elsewhere', { organization: 'op', name: 'c4' }),
    );
    const orgs = await collect(api.getOrganizationsOnCloudlet(create(edgeproto.CloudletKeySchema, c3)));
    expect(orgs.map((o) => o.name)).toEqual(['dev', 'dev2']);
  });
});
