// Shepherd under a real Controller (etcd, InfluxDB): its metrics become InfluxDB points in
// `metrics` under the original measurement names, its AppInstDown alert sets the AppInst's
// health. The Controller's notify server stands in for the CRM that relays both in production.
import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { describeWithServers, uniqueName } from '@edge/testing';
import { InfluxDB } from 'influx';
import { startController, type ControllerHarness } from '../../controller/src/testing/harness';
import { seed } from '../../controller/src/testing/seed';
import { tcpProbe } from './health/probe';
import { createShepherd, type Shepherd } from './shepherd';
import { TcpPorts } from './testing/tcp-ports';
import { waitFor } from './testing/world';

const HC = dme.HealthCheck;
const TS = edgeproto.TrackedState;
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

async function until(cond: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeWithServers('Shepherd with a real Controller, etcd and InfluxDB', (servers) => {
  const url = new URL(servers.influx);
  const influx = new InfluxDB({ host: url.hostname, port: Number(url.port), database: 'metrics' });
  let h: ControllerHarness;
  let region: string;
  let shepherd: Shepherd | undefined;
  const ports = new TcpPorts();

  beforeEach(async () => {
    region = uniqueName('shep');
    h = await startController({ etcd: servers.etcd, region, influxAddr: servers.influx });
  });
  afterEach(async () => {
    await shepherd?.stop();
    shepherd = undefined;
    await ports.closeAll();
    await h.kv.deletePrefix(`${region}/`);
    await h.close();
  });

  it('metrics reach InfluxDB, AppInstDown sets the AppInst health and clears it', async () => {
    const cloudlet = uniqueName('cl');
    const cloudletKey = { organization: 'op', name: cloudlet };
    const ciKey = { clusterKey: { name: 'k1' }, cloudletKey, organization: 'dev' };
    const aiKey = { appKey: { organization: 'dev', name: 'a1', version: '1.0' }, clusterInstKey: ciKey };
    const port = await ports.openPort();
    await seed(
      h,
      [
        'Settings',
        edgeproto.SettingsSchema,
        {
          shepherdHealthCheckInterval: ns(100),
          shepherdHealthCheckRetries: 2,
          shepherdMetricsCollectionInterval: ns(100),
        },
      ],
      ['Flavor', edgeproto.FlavorSchema, { key: { name: 'f1' }, ram: 1024n, vcpus: 1n, disk: 10n }],
      ['Cloudlet', edgeproto.CloudletSchema, { key: cloudletKey, state: TS.READY }],
      [
        'App',
        edgeproto.AppSchema,
        { key: aiKey.appKey, defaultFlavor: { name: 'f1' }, accessPorts: `tcp:${port}` },
      ],
      ['ClusterInst', edgeproto.ClusterInstSchema, { key: ciKey, state: TS.READY }],
      [
        'AppInst',
        edgeproto.AppInstSchema,
        {
          key: aiKey,
          state: TS.READY,
          healthCheck: HC.OK,
          mappedPorts: [{ proto: dme.LProto.TCP, internalPort: port, publicPort: port }],
        },
      ],
    );
    shepherd = createShepherd({
      cloudletKey,
      region,
      notifyAddrs: [h.notifyAddress],
      notify: { backoff: { initialMs: 20, maxMs: 200 } },
      // Fake-platform instances are not dialled by default; this test serves the port itself.
      probe: tcpProbe,
    });
    shepherd.start();

    const rows = async (measurement: string): Promise<Record<string, unknown>[]> =>
      influx.query(`SELECT * FROM "${measurement}" WHERE "cloudlet" = '${cloudlet}'`);
    await until(async () => (await rows('appinst-cpu')).length > 0, 'appinst-cpu in InfluxDB');
    expect((await rows('appinst-cpu'))[0]).toMatchObject({
      cloudlet,
      cloudletorg: 'op',
      cluster: 'k1',
      clusterorg: 'dev',
      app: 'a1',
      apporg: 'dev',
      ver: '1.0',
      pod: 'a1',
    });
    expect(typeof (await rows('appinst-cpu'))[0]?.['cpu']).toBe('number');
    for (const m of ['appinst-mem', 'appinst-connections', 'cluster-cpu', 'cloudlet-utilization'])
      await until(async () => (await rows(m)).length > 0, `${m} in InfluxDB`);
    expect((await rows('appinst-connections'))[0]).toMatchObject({ port: String(port) });

    const health = (): dme.HealthCheck | undefined =>
      h.ctrl.view.get<edgeproto.AppInst>(
        h.reg.get('AppInst'),
        create(edgeproto.AppInstSchema, { key: aiKey }),
      )?.healthCheck;
    const alerts = (): edgeproto.Alert[] =>
      h.ctrl.view.list<edgeproto.Alert>(h.reg.get('Alert')).filter((a) => a.labels['cloudlet'] === cloudlet);

    await ports.closePort(port);
    await waitFor(() => health() === HC.SERVER_FAIL, 20_000, 'AppInst health SERVER_FAIL');
    expect(alerts().map((a) => [a.labels['alertname'], a.labels['status'], a.labels['region']])).toEqual([
      ['AppInstDown', 'HealthCheckServerFail', region],
    ]);

    await ports.openPort(port);
    await waitFor(() => health() === HC.OK && alerts().length === 0, 20_000, 'AppInst health OK again');
  });
});
