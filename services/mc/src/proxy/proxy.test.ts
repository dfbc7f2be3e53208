import { WebSocket } from 'ws';
import { describeWithServers, uniqueName } from '@edge/testing';
import { startRegionWorld, type RegionWorld } from '../testing/region-world';

describeWithServers('Controller proxy (real Controller on etcd, real PostgreSQL)', () => {
  let w: RegionWorld;
  const opA = uniqueName('opA');
  const opB = uniqueName('opB');
  const devA = uniqueName('devA');
  const devB = uniqueName('devB');
  const appKey = () => ({ organization: devA, name: 'web', version: '1' });
  const app = () => ({
    key: appKey(),
    image_type: 'ImageTypeDocker',
    image_path: `registry.example.com/${devA}/web:1`,
    access_ports: 'tcp:80',
    default_flavor: { name: 'x1.small' },
  });
  const appInst = () => ({
    key: {
      app_key: appKey(),
      cluster_inst_key: {
        cluster_key: { name: 'k1' },
        cloudlet_key: { organization: opA, name: 'c1' },
        organization: devA,
      },
    },
  });
  const clusterInst = () => ({
    key: { cluster_key: { name: 'k1' }, cloudlet_key: { organization: opA, name: 'c1' }, organization: devA },
  });
  const ctrl = (rpc: string, body: Record<string, unknown>, user: string) =>
    w.post(`ctrl/${rpc}`, { region: w.region, ...body }, user);
  const data = (lines: Record<string, unknown>[]) => lines.map((l) => l['data'] as Record<string, unknown>);

  beforeAll(async () => {
    w = await startRegionWorld(opA);
    await w.grant('admin', '', 'AdminManager');
    await w.grant('oper1', opA, 'OperatorManager');
    await w.grant('oper2', opB, 'OperatorManager');
    await w.grant('dev1', devA, 'DeveloperManager');
    await w.grant('dev2', devB, 'DeveloperManager');
  });
  afterAll(() => w.close());

  it('registers the region (admin only) and shows regions', async () => {
    expect(
      await w.post('controller/create', { Region: w.region, Address: w.ctrl.address }, 'dev1'),
    ).toMatchObject({ status: 403, body: { message: 'Forbidden' } });
    const r = await w.post('controller/create', { region: w.region, address: w.ctrl.address }, 'admin');
    expect(r).toMatchObject({ status: 200, body: { message: 'Controller registered' } });
    const shown = await w.post('controller/show', {}, 'admin');
    expect(shown.body).toEqual([
      expect.objectContaining({
        Region: w.region,
        Address: w.ctrl.address,
        DnsRegion: w.region.toLowerCase(),
      }),
    ]);
    const asDev = await w.post('controller/show', {}, 'dev1');
    expect(asDev.body).toEqual([
      { Region: w.region, CreatedAt: expect.any(String), UpdatedAt: expect.any(String) },
    ]);
  });

  it('answers unknown regions and bad objects with the original messages', async () => {
    const r = await w.post('ctrl/ShowApp', { region: 'nope', app: {} }, 'dev1');
    expect(r).toMatchObject({ status: 400, body: { message: 'Region "nope" not found' } });
    const bad = await ctrl('CreateApp', { app: { key: appKey(), nosuch: 1 } }, 'dev1');
    expect(bad.status).toBe(400);
    expect(bad.body['message']).toMatch(/^Invalid JSON data: .*nosuch/);
  });

  it('creates a flavor as admin only', async () => {
    const flavor = { key: { name: 'x1.small' }, ram: 1024, vcpus: 1, disk: 10 };
    expect((await ctrl('CreateFlavor', { flavor }, 'dev1')).status).toBe(403);
    expect(await ctrl('CreateFlavor', { Flavor: flavor }, 'admin')).toMatchObject({ status: 200, body: {} });
    const shown = await ctrl('ShowFlavor', { flavor: {} }, 'dev1');
    expect(data(shown.lines)).toEqual([{ key: { name: 'x1.small' }, ram: 1024, vcpus: 1, disk: 10 }]);
  });

  it('creates a cloudlet as its operator, streaming the CRM progress as JSON lines', async () => {
    const cloudlet = {
      key: { organization: opA, name: 'c1' },
      location: { latitude: 50, longitude: 8 },
      num_dynamic_ips: 10,
    };
    expect(
      (
        await ctrl(
          'CreateCloudlet',
          { cloudlet: { ...cloudlet, key: { organization: opA, name: 'x' } } },
          'oper2',
        )
      ).status,
    ).toBe(403);
    const r = await ctrl('CreateCloudlet', { cloudlet }, 'oper1');
    expect(r.status).toBe(200);
    const msgs = data(r.lines).map((d) => d['message']);
    expect(msgs[0]).toMatch(/^CRM access key/);
    expect(msgs.slice(1)).toEqual(['step 1', 'step 2', 'Created Cloudlet successfully']);
  });

  it('creates an app as a developer; a second create gets the Controller error text', async () => {
    expect(await ctrl('CreateApp', { app: app() }, 'dev1')).toMatchObject({ status: 200, body: {} });
    const again = await ctrl('CreateApp', { app: app() }, 'dev1');
    expect(again).toMatchObject({
      status: 400,
      body: { message: `App key {"organization":"${devA}","name":"web","version":"1"} already exists` },
    });
  });

  it('refuses other orgs: 403 and nothing changed', async () => {
    expect((await ctrl('CreateApp', { app: app() }, 'dev2')).status).toBe(403);
    expect((await ctrl('DeleteApp', { app: { key: appKey() } }, 'dev2')).status).toBe(403);
    expect((await ctrl('UpdateApp', { app: { key: appKey(), access_ports: 'tcp:81' } }, 'dev2')).status).toBe(
      403,
    );
    const shown = data((await ctrl('ShowApp', { app: { key: appKey() } }, 'admin')).lines);
    expect(shown).toEqual([expect.objectContaining({ key: appKey(), access_ports: 'tcp:80' })]);
    const cl = { key: { organization: opA, name: 'c1' }, num_dynamic_ips: 20 };
    expect(await ctrl('UpdateCloudlet', { cloudlet: cl }, 'oper2')).toMatchObject({
      status: 403,
      body: { message: 'Forbidden' },
    });
    expect((await ctrl('DeleteCloudlet', { cloudlet: cl }, 'dev1')).status).toBe(403);
  });

  it('filters shows by org; developers see reduced cloudlets', async () => {
    expect(data((await ctrl('ShowApp', { app: {} }, 'dev2')).lines)).toEqual([]);
    expect(data((await ctrl('ShowApp', { app: {} }, 'dev1')).lines)).toEqual([
      expect.objectContaining({ key: appKey(), image_type: 'ImageTypeDocker' }),
    ]);
    const asOper = data((await ctrl('ShowCloudlet', { cloudlet: {} }, 'oper1')).lines);
    expect(asOper).toEqual([
      expect.objectContaining({ key: { organization: opA, name: 'c1' }, state: 'Ready' }),
    ]);
    expect(asOper[0]).toHaveProperty('crm_access_public_key');
    const asDev = data((await ctrl('ShowCloudlet', { cloudlet: {} }, 'dev1')).lines);
    expect(asDev).toEqual([
      expect.objectContaining({ key: { organization: opA, name: 'c1' }, state: 'Ready' }),
    ]);
    expect(asDev[0]).not.toHaveProperty('crm_access_public_key');
  });

  it('creates an app instance with streamed progress', async () => {
    const cluster = { ...clusterInst(), flavor: { name: 'x1.small' }, deployment: 'kubernetes' };
    const c = await ctrl(
      'CreateClusterInst',
      { clusterinst: { ...cluster, ip_access: 'IpAccessDedicated' } },
      'dev1',
    );
    expect(c.status).toBe(200);
    expect(
      data(c.lines)
        .map((d) => d['message'])
        .at(-1),
    ).toBe('Created ClusterInst successfully');
    const r = await ctrl('CreateAppInst', { appinst: appInst() }, 'dev1');
    expect(r.status).toBe(200);
    const msgs = data(r.lines).map((d) => d['message']);
    expect(msgs.at(-1)).toBe('Created AppInst successfully');
    expect(data((await ctrl('ShowAppInst', { appinst: {} }, 'dev2')).lines)).toEqual([]);
    expect(data((await ctrl('ShowAppInst', { appinst: {} }, 'dev1')).lines)).toHaveLength(1);
  });

  it('keeps private pool cloudlets to invited and accepting orgs', async () => {
    const pool = {
      key: { organization: opA, name: 'pool1' },
      cloudlets: [{ organization: opA, name: 'c1' }],
    };
    expect((await ctrl('CreateCloudletPool', { cloudletpool: pool }, 'oper1')).status).toBe(200);
    const k2 = { ...clusterInst(), key: { ...clusterInst().key, cluster_key: { name: 'k2' } } };
    expect(await ctrl('CreateClusterInst', { clusterinst: k2 }, 'dev1')).toMatchObject({
      status: 403,
      body: { message: 'Forbidden' },
    });
    for (const type of ['invitation', 'response'])
      await w.db.db.query(
        `INSERT INTO org_cloudlet_pools (org, region, cloudlet_pool, cloudlet_pool_org, type, decision)
         VALUES ($1, $2, 'pool1', $3, $4, $5)`,
        [devA, w.region, opA, type, type === 'response' ? 'accept' : ''],
      );
    const r = await ctrl('ShowCloudlet', { cloudlet: {} }, 'dev2');
    expect(data(r.lines)).toEqual([]);
    expect(data((await ctrl('ShowCloudlet', { cloudlet: {} }, 'dev1')).lines)).toHaveLength(1);
  });

  it('mirrors a streamed call over a websocket', async () => {
    const ws = new WebSocket(`${w.url.replace('http', 'ws')}/ws/api/v1/auth/ctrl/DeleteAppInst`);
    const got: unknown[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (d) => got.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ token: 'dev1' }));
    ws.send(JSON.stringify({ region: w.region, appinst: appInst() }));
    expect(await closed).toBe(1000);
    expect(got.at(-1)).toEqual({ code: 200, data: { message: 'Deleted AppInst successfully' } });
    expect(got.every((g) => (g as { code: number }).code === 200)).toBe(true);

    const denied = new WebSocket(`${w.url.replace('http', 'ws')}/ws/api/v1/auth/ctrl/DeleteApp`);
    const deniedMsgs: unknown[] = [];
    const deniedClosed = new Promise((resolve) => denied.on('close', resolve));
    denied.on('message', (d) => deniedMsgs.push(JSON.parse(String(d))));
    await new Promise((r) => denied.once('open', r));
    denied.send(JSON.stringify({ token: 'dev2' }));
    denied.send(JSON.stringify({ region: w.region, app: { key: appKey() } }));
    await deniedClosed;
    expect(deniedMsgs).toEqual([{ code: 403, data: { message: 'Forbidden' } }]);
  });
});
