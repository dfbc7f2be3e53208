import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { describeWithServers, uniqueName } from '@edge/testing';
import { collect, startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';
import { outcome } from './testing/world';

const READY = 2; // dme.CloudletState.READY
const OFFLINE = 4; // dme.CloudletState.OFFLINE
const key = { organization: 'op', name: 'c1' };
const ciKey = { clusterKey: { name: 'k1' }, cloudletKey: key, organization: 'dev' };
const ram = (value: bigint, infraMaxValue = 10000n) => ({ name: 'RAM', value, infraMaxValue, units: 'MB' });
const INFRA_RAM = 'More than 80% of RAM is used on the infra managed by the cloudlet';

describeWithServers('CloudletResourceUsage alerts (real Controller, etcd)', (servers) => {
  let h: ControllerHarness;
  let region: string;

  const infos = () => h.client(edgeproto.CloudletInfoApi);
  const report = (
    snapshot: MessageInitShape<typeof edgeproto.InfraResourcesSnapshotSchema>,
    state = READY,
  ): Promise<unknown> =>
    infos().injectCloudletInfo({
      key,
      state,
      flavors: [{ name: 'm4.small', vcpus: 2n, ram: 2048n, disk: 20n }],
      resourcesSnapshot: snapshot,
    });
  const alerts = (): edgeproto.Alert[] =>
    h.ctrl.view
      .list<edgeproto.Alert>(h.reg.get('Alert'))
      .filter((a) => a.labels['alertname'] === 'CloudletResourceUsage');
  const warnings = (): string[] =>
    alerts()
      .map((a) => a.labels['warning'] ?? '')
      .sort();
  /** Mod revisions of the stored alerts: unchanged when nothing was written. */
  const revisions = async (): Promise<number[]> =>
    (await h.kv.list(`${region}/Alert/`)).kvs.map((kv) => kv.modRevision);
  const update = async (
    init: Pick<
      MessageInitShape<typeof edgeproto.CloudletSchema>,
      'defaultResourceAlertThreshold' | 'resourceQuotas' | 'fields'
    >,
  ): Promise<void> => {
    const res = await outcome(
      h.client(edgeproto.CloudletApi).updateCloudlet({
        key,
        crmOverride: edgeproto.CRMOverride.IGNORE_CRM,
        ...init,
      }),
    );
    expect(res.error).toBeUndefined();
  };

  beforeEach(async () => {
    region = uniqueName('resalert');
    h = await startController({ etcd: servers.etcd, region });
    await seed(h, [
      'Cloudlet',
      edgeproto.CloudletSchema,
      {
        key,
        state: edgeproto.TrackedState.READY,
        location: { latitude: 1, longitude: 1 },
        defaultResourceAlertThreshold: 80,
      },
    ]);
  });
  afterEach(async () => {
    await h.kv.deletePrefix(`${region}/`);
    await h.close();
  });

  it('raises the alert of a READY report over the threshold, once, and clears it when usage drops', async () => {
    await report({ info: [ram(8000n)] });
    expect(alerts()).toEqual([]);

    await report({ info: [ram(8500n)] });
    const [alert] = alerts();
    expect(alerts()).toHaveLength(1);
    expect(alert?.labels).toEqual({
      alertname: 'CloudletResourceUsage',
      scope: 'Cloudlet',
      cloudlet: 'c1',
      cloudletorg: 'op',
      warning: INFRA_RAM,
      region,
      severity: 'warning',
    });
    expect(alert?.annotations).toEqual({ title: 'CloudletResourceUsage', description: INFRA_RAM });
    expect(alert?.state).toBe('firing');
    expect(alert?.activeAt?.seconds).toBeGreaterThan(0n);

    // still over: nothing written (the alert keeps its active_at)
    const before = await revisions();
    await report({ info: [ram(9000n)] });
    expect(await revisions()).toEqual(before);
    expect(alerts()).toEqual([alert]);

    // a report that isn't READY changes nothing
    await report({ info: [ram(100n)] }, OFFLINE);
    expect(warnings()).toEqual([INFRA_RAM]);

    await report({ info: [ram(100n)] });
    expect(alerts()).toEqual([]);
  });

  it("judges the Controller's own accounting against the quota, and what the CRM doesn't report yet", async () => {
    await seed(
      h,
      [
        'Cloudlet',
        edgeproto.CloudletSchema,
        {
          key,
          state: edgeproto.TrackedState.READY,
          defaultResourceAlertThreshold: 80,
          resourceQuotas: [{ name: 'RAM', value: 3000n, alertThreshold: 50 }],
        },
      ],
      [
        'ClusterInst',
        edgeproto.ClusterInstSchema,
        { key: ciKey, deployment: 'docker', nodeFlavor: 'm4.small', ipAccess: edgeproto.IpAccess.SHARED },
      ],
      [
        'CloudletRefs',
        edgeproto.CloudletRefsSchema,
        { key, clusterInsts: [{ clusterKey: { name: 'k1' }, organization: 'dev' }] },
      ],
    );
    // 2048 of the 3000 MB quota placed (> 50%); infra: 7000 reported + 2048 not yet (> 80%)
    await report({ info: [ram(7000n)] });
    expect(warnings()).toEqual([
      'More than 50% of RAM is used by the cloudlet',
      'More than 50% of RAM is used on the infra managed by the cloudlet',
    ]);

    // the CRM now reports the cluster in its 4000 MB: nothing pending, 40% of the infra
    await report({ info: [ram(4000n)], clusterInsts: [{ clusterKey: { name: 'k1' }, organization: 'dev' }] });
    expect(warnings()).toEqual(['More than 50% of RAM is used by the cloudlet']);

    // the CRM knows a cluster the Controller doesn't: no infra judgement
    await report({
      info: [ram(9900n)],
      clusterInsts: [
        { clusterKey: { name: 'k1' }, organization: 'dev' },
        { clusterKey: { name: 'ghost' }, organization: 'dev' },
      ],
    });
    expect(warnings()).toEqual(['More than 50% of RAM is used by the cloudlet']);
  });

  it("re-judges when the cloudlet's quotas or default threshold change", async () => {
    await report({ info: [ram(8500n)] });
    expect(warnings()).toEqual([INFRA_RAM]);

    await update({ defaultResourceAlertThreshold: 90, fields: ['default_resource_alert_threshold'] });
    expect(alerts()).toEqual([]);

    await update({
      resourceQuotas: [{ name: 'RAM', value: 12000n, alertThreshold: 60 }],
      fields: ['resource_quotas'],
    });
    expect(warnings()).toEqual([
      'More than 60% of RAM is used on the infra managed by the cloudlet',
      '[Quota] Invalid quota set for RAM, quota max value 12000 is more than infra max value 10000',
    ]);
  });

  it('removes the alerts with the cloudlet', async () => {
    await report({ info: [ram(8500n)] });
    expect(alerts()).toHaveLength(1);
    const res = await outcome(
      h.client(edgeproto.CloudletApi).deleteCloudlet({ key, crmOverride: edgeproto.CRMOverride.IGNORE_CRM }),
    );
    expect(res.error).toBeUndefined();
    expect(await collect(h.client(edgeproto.CloudletApi).showCloudlet({ key }))).toEqual([]);
    expect(alerts()).toEqual([]);
  });

  it('leaves other alerts of the cloudlet alone', async () => {
    const down = create(edgeproto.AlertSchema, {
      labels: { alertname: 'CloudletDown', scope: 'Cloudlet', cloudlet: 'c1', cloudletorg: 'op', region },
    });
    await seed(h, ['Alert', edgeproto.AlertSchema, down]);
    await report({ info: [ram(8500n)] }, READY);
    await report({ info: [ram(100n)] }, READY);
    expect(h.ctrl.view.list<edgeproto.Alert>(h.reg.get('Alert')).map((a) => a.labels['alertname'])).toEqual([
      'CloudletDown',
    ]);
  });
});
