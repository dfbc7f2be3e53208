import { create, createRegistry } from '@bufbuild/protobuf';
import { MemorySink, NotifyClient, registryCodec } from '@edge/notify';
import { ObjectRegistry, allFiles, dme, edgeproto } from '@edge/proto';
import { describeWithServers, uniqueName } from '@edge/testing';
import { appFx, cloudletFx, clusterInstFx } from '../notify/testing/fixtures';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';
import { healthCheckOfStatus } from './appinst-health';

const HC = dme.HealthCheck;
const ALERT = 'edgeproto.Alert';
const codec = registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));

const aiKey = {
  appKey: { organization: 'dev', name: 'a1', version: '1' },
  clusterInstKey: {
    clusterKey: { name: 'k1' },
    cloudletKey: { organization: 'op', name: 'c1' },
    organization: 'dev',
  },
};

/** An AppInstDown alert about a1 as Shepherd raises it. */
const downAlert = (status: string): edgeproto.Alert =>
  create(edgeproto.AlertSchema, {
    labels: {
      alertname: 'AppInstDown',
      region: 'local',
      app: 'a1',
      apporg: 'dev',
      appver: '1',
      cluster: 'k1',
      clusterorg: 'dev',
      cloudlet: 'c1',
      cloudletorg: 'op',
      status,
      severity: 'error',
      scope: 'Application',
    },
    annotations: { title: 'AppInstDown', description: 'Application server port is not responding' },
    state: 'firing',
  });

async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('healthCheckOfStatus', () => {
  it('maps the CamelCase name back, and an old numeric value', () => {
    expect(healthCheckOfStatus('HealthCheckServerFail')).toBe(HC.SERVER_FAIL);
    expect(healthCheckOfStatus('HealthCheckRootlbOffline')).toBe(HC.ROOTLB_OFFLINE);
    expect(healthCheckOfStatus('HealthCheckCloudletOffline')).toBe(HC.CLOUDLET_OFFLINE);
    expect(healthCheckOfStatus('2')).toBe(HC.SERVER_FAIL);
    expect(healthCheckOfStatus('HEALTH_CHECK_SERVER_FAIL')).toBeUndefined();
    expect(healthCheckOfStatus('99')).toBeUndefined();
  });
});

describeWithServers('AppInst health from AppInstDown alerts (real Controller, etcd)', (servers) => {
  let h: ControllerHarness;
  let region: string;
  const children: NotifyClient[] = [];

  /** A notify child standing in for the CRM that forwards its Shepherd's alerts. */
  const child = (): NotifyClient => {
    const c = new NotifyClient({
      ...codec,
      addresses: [h.notifyAddress],
      name: 'crm-c1',
      wants: ['edgeproto.Flavor'],
      sink: new MemorySink(),
      backoff: { initialMs: 20, maxMs: 200 },
      ackDelayMs: 10,
    });
    c.start();
    children.push(c);
    return c;
  };
  const raise = (c: NotifyClient, a: edgeproto.Alert): void => c.update(ALERT, codec.keyJson(ALERT, a), a);
  const clear = (c: NotifyClient, a: edgeproto.Alert): void =>
    c.update(ALERT, codec.keyJson(ALERT, a), undefined);
  const appInst = (): edgeproto.AppInst | undefined =>
    h.ctrl.view.get<edgeproto.AppInst>(h.reg.get('AppInst'), create(edgeproto.AppInstSchema, { key: aiKey }));
  const health = (): dme.HealthCheck | undefined => appInst()?.healthCheck;
  const alerts = (): edgeproto.Alert[] => [...h.ctrl.view.list<edgeproto.Alert>(h.reg.get('Alert'))];

  beforeEach(async () => {
    region = uniqueName('health');
    h = await startController({ etcd: servers.etcd, region });
    await seed(h, cloudletFx('c1'), appFx('a1'), clusterInstFx('k1', 'c1'), [
      'AppInst',
      edgeproto.AppInstSchema,
      { key: aiKey, state: edgeproto.TrackedState.READY, healthCheck: HC.OK },
    ]);
  });
  afterEach(async () => {
    for (const c of children.splice(0)) await c.stop();
    await h.kv.deletePrefix(`${region}/`);
    await h.close();
  });

  it('sets health_check from the status label while the alert exists, OK once it is deleted', async () => {
    const c = child();
    const serverFail = downAlert('HealthCheckServerFail');
    raise(c, serverFail);
    await waitFor(() => health() === HC.SERVER_FAIL, 'SERVER_FAIL');
    expect(alerts().map((a) => a.labels['status'])).toEqual(['HealthCheckServerFail']);

    // The status changes: the new alert first, then the old one's delete.
    const rootLb = downAlert('HealthCheckRootlbOffline');
    raise(c, rootLb);
    clear(c, serverFail);
    await waitFor(
      () => alerts().length === 1 && alerts()[0]?.labels['status'] === 'HealthCheckRootlbOffline',
      'swap',
    );
    await waitFor(() => health() === HC.ROOTLB_OFFLINE, 'ROOTLB_OFFLINE');

    clear(c, rootLb);
    await waitFor(() => health() === HC.OK && alerts().length === 0, 'OK again');
  });

  it('is OK again when the sender goes away (flush)', async () => {
    const c = child();
    raise(c, downAlert('HealthCheckServerFail'));
    await waitFor(() => health() === HC.SERVER_FAIL, 'SERVER_FAIL');
    await c.stop();
    await waitFor(() => health() === HC.OK && alerts().length === 0, 'OK after the flush');
  });

  it('does not undo a later cause when an older alert goes', async () => {
    const c = child();
    const serverFail = downAlert('HealthCheckServerFail');
    raise(c, serverFail);
    await waitFor(() => health() === HC.SERVER_FAIL, 'SERVER_FAIL');
    // Meanwhile the cloudlet went offline (as fireCloudletDown marks it).
    await seed(h, ['AppInst', edgeproto.AppInstSchema, { ...appInst(), healthCheck: HC.CLOUDLET_OFFLINE }]);
    clear(c, serverFail);
    await waitFor(() => alerts().length === 0, 'alert deleted');
    // The alert delete and its health update run in one queue: let a marker pass through it.
    const marker = downAlert('HealthCheckRootlbOffline');
    marker.labels['app'] = 'other';
    raise(c, marker);
    await waitFor(() => alerts().length === 1, 'marker stored');
    expect(health()).toBe(HC.CLOUDLET_OFFLINE);
  });

  it('ignores alerts that are not AppInstDown or name no AppInst', async () => {
    const c = child();
    const other = create(edgeproto.AlertSchema, {
      labels: { ...downAlert('HealthCheckServerFail').labels, alertname: 'highcpu', type: 'UserDefined' },
    });
    const noKey = downAlert('HealthCheckServerFail');
    delete noKey.labels['cluster'];
    raise(c, other);
    raise(c, noKey);
    // Work of one connection runs in order: once a third alert is stored, the first two were handled.
    const marker = create(edgeproto.AlertSchema, { labels: { alertname: 'marker', scope: 'Cloudlet' } });
    raise(c, marker);
    await waitFor(() => alerts().length === 3, 'all stored');
    expect(health()).toBe(HC.OK);
  });
});
