/**
 * The notify tree against a real Controller on a real etcd: what children receive, the
 * CRM cloudlet filter with the access-key identity, resume after a child's or the
 * Controller's restart, flush on disconnect, and a child moving between Controllers.
 * See docs/adr/0009-notify.md.
 */
import { dme, edgeproto } from '@edge/proto';
import { describeWithServers, uniqueName } from '@edge/testing';
import {
  startController,
  type ControllerHarnessOptions,
  type ControllerHarness,
} from '../services/controller/src/testing/harness';
import { seed } from '../services/controller/src/testing/seed';
import {
  cloudletKey,
  cloudletKeyJson,
  clusterInstFx,
  seedTwoCloudlets,
} from '../services/controller/src/notify/testing/fixtures';
import { cached, Children, DME_WANTS, held, reportCloudlet, waitFor, within } from './notify-world';

const CS = dme.CloudletState;
const T = { Flavor: 'edgeproto.Flavor', App: 'edgeproto.App' };
const flavor = (name: string): edgeproto.Flavor =>
  ({ key: { name }, ram: 1024n, vcpus: 1n, disk: 10n }) as edgeproto.Flavor;
const app = (name: string, command = ''): edgeproto.App =>
  ({
    key: { organization: 'dev', name, version: '1' },
    imageType: edgeproto.ImageType.DOCKER,
    imagePath: `docker.io/dev/${name}:1`,
    defaultFlavor: { name: 'f1' },
    accessPorts: 'tcp:80',
    command,
  }) as edgeproto.App;
const flavorKey = (name: string): string => JSON.stringify({ name });
const appKey = (name: string): string => JSON.stringify({ organization: 'dev', name, version: '1' });
const onC1 = (keys: string[]): string[] => keys.filter((k) => k.includes('"name":"c1"'));

describeWithServers('Notify tree with a real Controller (etcd)', (servers) => {
  const children = new Children();
  const running = new Set<ControllerHarness>();
  let region: string;

  const controller = async (opts: ControllerHarnessOptions = {}): Promise<ControllerHarness> => {
    const h = await startController({ etcd: servers.etcd, region, ...opts });
    running.add(h);
    return h;
  };
  const stopController = async (h: ControllerHarness): Promise<void> => {
    running.delete(h);
    await h.close();
  };
  const converged = (h: ControllerHarness, sink: Parameters<typeof held>[0], types: string[]): boolean =>
    types.every((t) => JSON.stringify(held(sink, t)) === JSON.stringify(cached(h, t)));

  beforeEach(() => {
    region = uniqueName('notify');
  });
  afterEach(async () => {
    await children.cleanup();
    const all = [...running];
    await all[0]?.kv.deletePrefix(`${region}/`);
    for (const h of all) await stopController(h);
  });

  /** A CRM-like child of c1 signing with the key GenerateAccessKey returned, past its initial send. */
  const signedCrm = async (h: ControllerHarness) => {
    const { message: privatePem } = await h
      .client(edgeproto.CloudletApi)
      .generateAccessKey(cloudletKey('c1'));
    await waitFor(
      () =>
        h.ctrl.cache.type<edgeproto.Cloudlet>('Cloudlet').get(cloudletKeyJson('c1'))?.crmAccessPublicKey !==
        '',
      10_000,
      'access key cached',
    );
    const crm = children.crm([h.notifyAddress], 'c1', privatePem);
    await waitFor(() => held(crm.sink, 'Flavor').length === 1, 10_000, 'initial send');
    return crm;
  };

  it('a DME-like child receives exactly the wanted objects and SENDALL_END, then API changes in order', async () => {
    const h = await controller();
    await seedTwoCloudlets(h);
    const { client, sink } = children.start([h.notifyAddress]);
    await within(client.waitSynced(), 10_000, 'sync');

    const wanted = ['Flavor', 'App', 'AppInst', 'Cloudlet'];
    for (const t of wanted) expect(held(sink, t)).toEqual(cached(h, t));
    expect([...sink.objects.keys()].sort()).toEqual([...DME_WANTS].sort());
    const total = wanted.reduce((n, t) => n + cached(h, t).length, 0);
    expect(total).toBe(8);
    expect(client.stats().received).toMatchObject({ updates: total, deletes: 0, sendAllEnd: 1 });

    const flavors = h.client(edgeproto.FlavorApi);
    const apps = h.client(edgeproto.AppApi);
    const mark = sink.applied.length;
    const step = async (call: () => Promise<unknown>, arrived: () => boolean, what: string) => {
      await call();
      await waitFor(arrived, 10_000, what);
    };
    await step(
      () => flavors.createFlavor(flavor('f2')),
      () => !!sink.get(T.Flavor, flavorKey('f2')),
      'f2',
    );
    await step(
      () => apps.createApp(app('n1')),
      () => !!sink.get(T.App, appKey('n1')),
      'n1',
    );
    await step(
      () => apps.updateApp({ ...app('n1', 'serve'), fields: ['command'] } as edgeproto.App),
      () => (sink.get(T.App, appKey('n1')) as edgeproto.App | undefined)?.command === 'serve',
      'n1 updated',
    );
    await step(
      () => apps.deleteApp(app('n1')),
      () => !sink.get(T.App, appKey('n1')),
      'n1 deleted',
    );
    await step(
      () => flavors.deleteFlavor(flavor('f2')),
      () => !sink.get(T.Flavor, flavorKey('f2')),
      'f2 gone',
    );

    // A delete marks the object delete_prepare first (one more update, as the original);
    // that update may be coalesced with the delete, so it is left out of the comparison.
    const seen = sink.applied.slice(mark);
    const prepare = (c: (typeof seen)[number]): boolean =>
      (c.obj as edgeproto.App | undefined)?.deletePrepare === true;
    expect(seen.filter((c) => !prepare(c)).map((c) => [c.type, c.key, c.obj ? 'update' : 'delete'])).toEqual([
      [T.Flavor, flavorKey('f2'), 'update'],
      [T.App, appKey('n1'), 'update'],
      [T.App, appKey('n1'), 'update'],
      [T.App, appKey('n1'), 'delete'],
      [T.Flavor, flavorKey('f2'), 'delete'],
    ]);
    const revs = seen.map((c) => c.rev);
    expect(revs).toEqual([...revs].sort((x, y) => x - y));
    expect(new Set(revs).size).toBe(revs.length);
  });

  it('a CRM-like child gets its Cloudlet on INIT, its instances on READY, then SENDALL_END; never another cloudlet', async () => {
    const h = await controller({ requireNotifyAccessKey: true });
    await seedTwoCloudlets(h);
    const { client, sink } = await signedCrm(h);
    expect(h.notify.server.children().map((c) => c.connection.identity)).toEqual([cloudletKeyJson('c1')]);

    // before INIT: nothing cloudlet-scoped, no SENDALL_END
    for (const t of ['Cloudlet', 'ClusterInst', 'AppInst', 'VMPool', 'App'])
      expect(held(sink, t)).toEqual([]);
    await expect(within(client.waitSynced(), 300, 'sync')).rejects.toThrow('timed out');

    reportCloudlet(client, 'c1', CS.INIT);
    await waitFor(() => held(sink, 'Cloudlet').length === 1, 10_000, 'Cloudlet on INIT');
    expect(held(sink, 'Cloudlet')).toEqual([cloudletKeyJson('c1')]);
    expect(held(sink, 'VMPool')).toEqual([JSON.stringify({ organization: 'op', name: 'vp1' })]);
    expect(held(sink, 'ClusterInst')).toEqual([]);
    await expect(within(client.waitSynced(), 300, 'sync')).rejects.toThrow('timed out');

    reportCloudlet(client, 'c1', CS.READY);
    await within(client.waitSynced(), 10_000, 'SENDALL_END after READY');
    expect(held(sink, 'ClusterInst')).toEqual(onC1(cached(h, 'ClusterInst')));
    expect(held(sink, 'AppInst')).toEqual(onC1(cached(h, 'AppInst')));
    expect(held(sink, 'ClusterInst')).toHaveLength(1);
    expect(held(sink, 'AppInst')).toHaveLength(1);
    expect(held(sink, 'App')).toEqual([appKey('a1')]); // with its AppInst
    expect(client.stats().received.sendAllEnd).toBe(1);

    // live: a ClusterInst on c2 never arrives, one on c1 does
    await seed(h, clusterInstFx('k3', 'c2'));
    await seed(h, clusterInstFx('k4', 'c1'));
    await waitFor(() => held(sink, 'ClusterInst').length === 2, 10_000, 'k4 on c1');
    await waitFor(() => client.revision >= h.ctrl.cache.revision, 10_000, 'caught up');
    expect(held(sink, 'ClusterInst')).toEqual(onC1(cached(h, 'ClusterInst')));
    expect(sink.applied.filter((c) => c.key.includes('"name":"c2"') || c.key.includes('vp2'))).toEqual([]);
    const info = h.ctrl.cache.type<edgeproto.CloudletInfo>('CloudletInfo').get(cloudletKeyJson('c1'));
    expect(info?.state).toBe(CS.READY);
  });

  it('a disconnected CRM: its CloudletInfo turns OFFLINE and a CloudletDown alert exists', async () => {
    const h = await controller();
    await seedTwoCloudlets(h);
    const { client } = await signedCrm(h);
    reportCloudlet(client, 'c1', CS.READY);
    await within(client.waitSynced(), 10_000, 'sync');
    const infos = h.ctrl.cache.type<edgeproto.CloudletInfo>('CloudletInfo');
    await waitFor(() => infos.get(cloudletKeyJson('c1'))?.state === CS.READY, 10_000, 'READY stored');

    await client.stop();
    await waitFor(() => infos.get(cloudletKeyJson('c1'))?.state === CS.OFFLINE, 10_000, 'OFFLINE');
    const down = (): edgeproto.Alert[] =>
      h.ctrl.cache
        .type<edgeproto.Alert>('Alert')
        .list()
        .filter((a) => a.labels['alertname'] === 'CloudletDown' && a.labels['cloudlet'] === 'c1');
    await waitFor(() => down().length === 1, 10_000, 'CloudletDown alert');
  });

  it('a child that reconnects gets only the 3 changes made while it was away', async () => {
    const h = await controller();
    await seedTwoCloudlets(h);
    await seed(h, ['Flavor', edgeproto.FlavorSchema, flavor('f9')]);
    const first = children.start([h.notifyAddress]);
    await within(first.client.waitSynced(), 10_000, 'sync');
    await first.client.stop();

    const flavors = h.client(edgeproto.FlavorApi);
    await flavors.createFlavor(flavor('f2'));
    await flavors.createFlavor(flavor('f3'));
    await flavors.deleteFlavor(flavor('f9'));
    const { client, sink } = children.start([h.notifyAddress], {
      sink: first.sink,
      initialRevision: first.client.revision,
    });
    await within(client.waitSynced(), 10_000, 'resync');
    expect(client.stats().received).toMatchObject({ updates: 2, deletes: 1, sendAllEnd: 1 });
    expect(h.notify.server.children()[0]?.resumed).toBe(true);
    expect(converged(h, sink, ['Flavor', 'App', 'AppInst', 'Cloudlet'])).toBe(true);
    expect(sink.pruned).toEqual([]);
  });

  it('a child further behind than the change log: full resync, and what was deleted meanwhile is removed', async () => {
    const h = await controller({ notifyChangeLog: 3 });
    await seedTwoCloudlets(h);
    await seed(h, ['Flavor', edgeproto.FlavorSchema, flavor('f9')]);
    const first = children.start([h.notifyAddress]);
    await within(first.client.waitSynced(), 10_000, 'sync');
    await first.client.stop();
    expect(first.sink.get(T.Flavor, flavorKey('f9'))).toBeDefined();

    const flavors = h.client(edgeproto.FlavorApi);
    for (const name of ['f2', 'f3', 'f4', 'f5']) await flavors.createFlavor(flavor(name));
    await flavors.deleteFlavor(flavor('f9'));
    const { client, sink } = children.start([h.notifyAddress], {
      sink: first.sink,
      initialRevision: first.client.revision,
    });
    await within(client.waitSynced(), 10_000, 'resync');
    expect(h.notify.server.children()[0]?.resumed).toBe(false);
    expect(sink.pruned.length).toBeGreaterThan(0);
    expect(sink.get(T.Flavor, flavorKey('f9'))).toBeUndefined();
    expect(converged(h, sink, ['Flavor', 'App', 'AppInst', 'Cloudlet'])).toBe(true);
  });

  it('a restarted Controller: the child reconnects and resumes without a full resend', async () => {
    let h = await controller();
    await seedTwoCloudlets(h);
    const port = Number(h.notifyAddress.split(':')[1]);
    const { client, sink } = children.start([h.notifyAddress]);
    await within(client.waitSynced(), 10_000, 'sync');
    const before = client.stats().received;

    await stopController(h);
    h = await controller({ notifyPort: port });
    await waitFor(() => client.stats().received.sendAllEnd === 2, 15_000, 'second session synced');
    expect(client.stats().sessions).toBe(2);
    expect(h.notify.server.children()[0]?.resumed).toBe(true);
    expect(client.stats().received).toMatchObject({ updates: before.updates, deletes: 0 });

    await h.client(edgeproto.FlavorApi).createFlavor(flavor('f2'));
    await waitFor(() => !!sink.get(T.Flavor, flavorKey('f2')), 10_000, 'f2 after restart');
    expect(client.stats().received.updates).toBe(before.updates + 1);
    expect(converged(h, sink, ['Flavor', 'App', 'AppInst', 'Cloudlet'])).toBe(true);
  });

  it('two Controllers: a child moves from A to B and misses nothing made meanwhile', async () => {
    const a = await controller();
    const b = await controller();
    await seedTwoCloudlets(a);
    await waitFor(() => b.ctrl.cache.revision >= a.ctrl.cache.revision, 10_000, 'B caught up');
    const { client, sink } = children.start([a.notifyAddress, b.notifyAddress]);
    await within(client.waitSynced(), 10_000, 'sync on A');
    expect(client.stats().address).toBe(a.notifyAddress);
    const before = client.stats().received;

    await stopController(a);
    const flavors = b.client(edgeproto.FlavorApi);
    await flavors.createFlavor(flavor('f2'));
    await flavors.createFlavor(flavor('f3'));
    await b.client(edgeproto.AppApi).createApp(app('n1'));
    await waitFor(() => client.stats().received.sendAllEnd === 2, 15_000, 'synced on B');
    expect(client.stats().address).toBe(b.notifyAddress);
    expect(b.notify.server.children()[0]?.resumed).toBe(true);
    await waitFor(
      () => converged(b, sink, ['Flavor', 'App', 'AppInst', 'Cloudlet']),
      10_000,
      'converged on B',
    );
    expect(client.stats().received).toMatchObject({ updates: before.updates + 3, deletes: 0 });
    expect(sink.pruned).toEqual([]);
  });
});
