import { clone, create, type Message } from '@bufbuild/protobuf';
import { silentLogger } from '@edge/log';
import { ObjectRegistry, allFiles, edgeproto } from '@edge/proto';
import { MemStore } from '@edge/store';
import { describeWithServers, uniqueName } from '@edge/testing';
import { InfluxDB } from 'influx';
import { createController, type Controller } from '../controller';
import { TcpProxy } from './tcp-proxy';

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeWithServers('Controller lifecycle events in InfluxDB', (servers) => {
  const reg = new ObjectRegistry(allFiles);
  const url = new URL(servers.influx);
  const influx = new InfluxDB({ host: url.hostname, port: Number(url.port), database: 'events' });
  const S = edgeproto.TrackedState;
  let kv: MemStore;
  const ctrls: Controller[] = [];

  const start = async (influxAddr: string, maxQueued = 5000): Promise<Controller> => {
    const c = createController({
      reg,
      kv,
      region: 'local',
      log: silentLogger(),
      influxAddr,
      influxWriter: { flushIntervalMs: 50, retryMinMs: 20, retryMaxMs: 100, maxQueued },
    });
    await c.start();
    ctrls.push(c);
    return c;
  };
  const put = (c: Controller, type: string, obj: Message): Promise<void> =>
    c.store.apply(async (tx) => tx.put(reg.get(type), obj));
  const del = (c: Controller, type: string, obj: Message): Promise<void> =>
    c.store.apply(async (tx) => tx.delete(reg.get(type), obj));
  const events = async (measurement: string, cloudlet: string): Promise<Record<string, unknown>[]> =>
    influx.query(`SELECT * FROM "${measurement}" WHERE cloudlet = '${cloudlet}'`);

  beforeEach(() => {
    kv = new MemStore();
  });
  afterEach(async () => {
    for (const c of ctrls.splice(0)) await c.stop();
    await kv.close();
  });

  it('records created and deleted instances once, on the Controller that wrote them', async () => {
    const a = await start(servers.influx);
    const b = await start(servers.influx);
    const cloudlet = uniqueName('cl');
    const cloudletKey = { organization: 'op', name: cloudlet };
    const flavor = create(edgeproto.FlavorSchema, {
      key: { name: 'f1' },
      ram: 2048n,
      vcpus: 2n,
      disk: 20n,
      optResMap: { gpu: 'pci:1' },
    });
    const app = create(edgeproto.AppSchema, {
      key: { organization: 'dev', name: 'app', version: '1.0' },
      deployment: 'kubernetes',
    });
    const ci = create(edgeproto.ClusterInstSchema, {
      key: { clusterKey: { name: 'c1' }, cloudletKey, organization: 'dev' },
      flavor: { name: 'f1' },
      numMasters: 1,
      numNodes: 2,
      ipAccess: edgeproto.IpAccess.DEDICATED,
      state: S.CREATING,
    });
    const ai = create(edgeproto.AppInstSchema, {
      key: {
        appKey: app.key,
        clusterInstKey: { clusterKey: { name: 'c1' }, cloudletKey, organization: 'dev' },
      },
      state: S.READY,
    });
    await put(a, 'Flavor', flavor);
    await put(a, 'App', app);
    await put(a, 'Cloudlet', create(edgeproto.CloudletSchema, { key: cloudletKey, state: S.READY }));
    await put(b, 'ClusterInst', ci);
    const ready = clone(edgeproto.ClusterInstSchema, ci);
    ready.state = S.READY;
    await put(a, 'ClusterInst', ready);
    await put(b, 'AppInst', ai);
    await del(a, 'AppInst', ai);
    await del(b, 'ClusterInst', ci);

    await until(async () => (await events('clusterinst', cloudlet)).length === 2);
    await until(async () => (await events('appinst', cloudlet)).length === 2);
    await until(async () => (await events('cloudlet', cloudlet)).length === 1);
    // both Controllers have flushed several times by now: still no duplicates
    await new Promise((r) => setTimeout(r, 300));
    const cis = await events('clusterinst', cloudlet);
    expect(cis.map((r) => [r['event'], r['status']])).toEqual([
      ['CREATED', 'UP'],
      ['DELETED', 'DOWN'],
    ]);
    expect(cis[0]).toMatchObject({
      cloudlet,
      cloudletorg: 'op',
      cluster: 'c1',
      clusterorg: 'dev',
      org: 'dev',
      flavor: 'f1',
      ram: 2048,
      vcpu: 2,
      disk: 20,
      nodecount: 3,
      other: 'map[gpu:pci:1]',
      ipaccess: 'IP_ACCESS_DEDICATED',
    });
    const ais = await events('appinst', cloudlet);
    expect(ais.map((r) => r['event'])).toEqual(['CREATED', 'DELETED']);
    expect((await events('cloudlet', cloudlet)).length).toBe(1);
    expect(ais[0]).toMatchObject({
      app: 'app',
      apporg: 'dev',
      ver: '1.0',
      cluster: 'c1',
      clusterorg: 'dev',
      cloudletorg: 'op',
      deployment: 'kubernetes',
      realcluster: 'c1',
      status: 'UP',
    });
    expect((await events('cloudlet', cloudlet)).map((r) => [r['event'], r['cloudletorg']])).toEqual([
      ['CREATED', 'op'],
    ]);
  });

  it('keeps serving while InfluxDB is unreachable, bounded, and catches up when it is back', async () => {
    const proxy = new TcpProxy(url.hostname, Number(url.port));
    const port = await proxy.listen();
    await proxy.close();
    const c = await start(`http://127.0.0.1:${port}`, 5);
    const org = uniqueName('op');
    const t0 = performance.now();
    for (let i = 0; i < 8; i++) {
      await put(
        c,
        'Cloudlet',
        create(edgeproto.CloudletSchema, { key: { organization: org, name: `c${i}` } }),
      );
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    const writer = c.influx?.writer;
    await until(() => (writer?.stats().failures ?? 0) > 0);
    expect(writer?.stats()).toMatchObject({ queued: 5, dropped: 3, written: 0 });

    await proxy.listen();
    await until(() => writer?.stats().written === 5);
    const rows = await influx.query<{ cloudlet: string }>(
      `SELECT * FROM cloudlet WHERE cloudletorg = '${org}'`,
    );
    expect(rows.map((r) => r.cloudlet)).toEqual(['c3', 'c4', 'c5', 'c6', 'c7']);
    await proxy.close();
  });

  it('writes Metric messages to the metrics database', async () => {
    const c = await start(servers.influx);
    const app = uniqueName('app');
    c.recordMetric(
      create(edgeproto.MetricSchema, {
        name: 'appinst-cpu',
        tags: [{ name: 'app', val: app }],
        vals: [{ name: 'cpu', value: { case: 'dval', value: 12.5 } }],
      }),
    );
    const query = (): Promise<Record<string, unknown>[]> =>
      influx.query(`SELECT cpu FROM "appinst-cpu" WHERE app = '${app}'`, { database: 'metrics' });
    await until(async () => (await query()).length === 1);
    expect((await query())[0]?.['cpu']).toBe(12.5);
  });
});
