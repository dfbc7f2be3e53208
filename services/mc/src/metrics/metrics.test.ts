import { describeWithServers, testServers, uniqueName } from '@edge/testing';
import { startRegionWorld, type RegionWorld } from '../testing/region-world';

async function influx(path: string, params: Record<string, string>, body?: string): Promise<void> {
  const url = new URL(path, testServers().influx);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: 'POST', ...(body ? { body } : {}) });
  if (!res.ok) throw new Error(`influx ${path}: ${res.status} ${await res.text()}`);
}

describeWithServers('metrics and events from the region InfluxDB', () => {
  let w: RegionWorld;
  const devA = uniqueName('devA');
  const devB = uniqueName('devB');
  const opA = uniqueName('opA');

  beforeAll(async () => {
    w = await startRegionWorld(opA);
    await w.grant('admin', '', 'AdminManager');
    await w.grant('dev1', devA, 'DeveloperManager');
    await w.grant('dev2', devB, 'DeveloperManager');
    await w.post(
      'controller/create',
      { Region: w.region, Address: w.ctrl.address, InfluxDB: testServers().influx },
      'admin',
    );
    await influx('/query', { q: 'CREATE DATABASE metrics' });
    await influx('/query', { q: 'CREATE DATABASE events' });
    const ts = Date.now() * 1e6;
    await influx(
      '/write',
      { db: 'metrics' },
      `appinst-cpu,app=web,ver=1,apporg=${devA},cluster=k1,clusterorg=${devA},cloudlet=c1,cloudletorg=${opA} cpu=12.5 ${ts}`,
    );
    await influx(
      '/write',
      { db: 'events' },
      `appinst,app=web,ver=1,apporg=${devA},cluster=k1 event="CREATED",status="UP" ${ts}`,
    );
  });
  afterAll(() => w.close());

  const appinst = () => ({ app_key: { organization: devA, name: 'web' } });

  it('answers app cpu metrics in the Influx series shape', async () => {
    const r = await w.post('metrics/app', { region: w.region, appinst: appinst(), selector: 'cpu' }, 'dev1');
    expect(r.status).toBe(200);
    const data = r.body['data'] as { Series: { name: string; columns: string[]; values: unknown[][] }[] }[];
    expect(data).toHaveLength(1);
    const s = data[0]?.Series[0];
    expect(s?.name).toBe('appinst-cpu');
    const row = s?.values[0] ?? [];
    expect(row[s?.columns.indexOf('cpu') ?? -1]).toBe(12.5);
  });

  it('refuses other orgs and bad selectors', async () => {
    expect(
      await w.post('metrics/app', { region: w.region, appinst: appinst(), selector: 'cpu' }, 'dev2'),
    ).toMatchObject({
      status: 403,
    });
    const bad = await w.post(
      'metrics/app',
      { region: w.region, appinst: appinst(), selector: 'nope' },
      'dev1',
    );
    expect(bad.status).toBe(400);
  });

  it('answers app lifecycle events', async () => {
    const r = await w.post('events/app', { region: w.region, appinst: appinst() }, 'dev1');
    expect(r.status).toBe(200);
    const data = r.body['data'] as { Series: { name: string; columns: string[]; values: unknown[][] }[] }[];
    const s = data[0]?.Series[0];
    expect(s?.name).toBe('appinst');
    expect(s?.values[0]?.[s.columns.indexOf('event')]).toBe('CREATED');
  });
});
