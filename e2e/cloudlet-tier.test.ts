/**
 * The cloudlet tier end to end: a Controller on real etcd and InfluxDB starts a real CRM and
 * Shepherd (processes) for a cloudlet on the `local` platform; app instances become real
 * processes on this host. Covers the must-shows of the cloudlet-tier issue; see
 * docs/adr/0010-cloudlet-tier.md.
 */
import { dme, edgeproto } from '@edge/proto';
import { describeWithServers } from '@edge/testing';
import { accepts, alive, CloudletWorld, collect, outcome, waitFor } from './cloudlet-world';

const TS = edgeproto.TrackedState;
const HC = dme.HealthCheck;
const MIN = 60_000;

describeWithServers(
  'Cloudlet tier: Controller → CRM → local platform, Shepherd (real processes)',
  (servers) => {
    let w: CloudletWorld;
    let cloudletKey: { organization: string; name: string };
    const clusterKey = () => ({ clusterKey: { name: 'k1' }, cloudletKey, organization: 'dev' });
    const appKey = (name: string) => ({ organization: 'dev', name, version: '1' });
    const instKey = (name: string) => ({ appKey: appKey(name), clusterInstKey: clusterKey() });

    const api = {
      cloudlets: () => w.h.client(edgeproto.CloudletApi),
      infos: () => w.h.client(edgeproto.CloudletInfoApi),
      apps: () => w.h.client(edgeproto.AppApi),
      clusters: () => w.h.client(edgeproto.ClusterInstApi),
      insts: () => w.h.client(edgeproto.AppInstApi),
      alerts: () => w.h.client(edgeproto.AlertApi),
    };
    const inst = async (name: string): Promise<edgeproto.AppInst | undefined> =>
      (await collect(api.insts().showAppInst({ key: instKey(name) })))[0];
    const cloudletInfo = async (): Promise<edgeproto.CloudletInfo | undefined> =>
      (await collect(api.infos().showCloudletInfo({ key: cloudletKey })))[0];
    const appInstDown = async (name: string): Promise<edgeproto.Alert[]> =>
      (await collect(api.alerts().showAlert({}))).filter(
        (a) => a.labels['alertname'] === 'AppInstDown' && a.labels['app'] === name,
      );
    const createApp = async (name: string, command = ''): Promise<void> => {
      await api.apps().createApp({
        key: appKey(name),
        imageType: edgeproto.ImageType.DOCKER,
        imagePath: `registry.example.com/dev/${name}:1`,
        deployment: 'docker',
        accessPorts: 'tcp:8080',
        defaultFlavor: { name: 'x1.small' },
        command,
      });
    };
    const publicPort = (ai: edgeproto.AppInst | undefined): number => ai?.mappedPorts[0]?.publicPort ?? 0;
    const pidOf = (ai: edgeproto.AppInst | undefined): number =>
      Number(/^pid-(\d+)$/.exec(ai?.runtimeInfo?.containerIds[0] ?? '')?.[1] ?? 0);

    beforeAll(async () => {
      w = await new CloudletWorld(servers).start();
      cloudletKey = { organization: 'tier-op', name: w.region };
      await w.fastShepherd();
      await w.h
        .client(edgeproto.FlavorApi)
        .createFlavor({ key: { name: 'x1.small' }, ram: 1024n, vcpus: 1n, disk: 10n });
    }, MIN);
    afterAll(() => w?.close(), MIN);

    it(
      'a cloudlet created through the API comes up (INIT → READY) with its platform flavors',
      async () => {
        const created = await outcome(
          api.cloudlets().createCloudlet({
            key: cloudletKey,
            location: { latitude: 52.5, longitude: 13.4 },
            numDynamicIps: 10,
            platformType: edgeproto.PlatformType.LOCAL,
          }),
        );
        expect(created.error).toBeUndefined();
        expect(created.messages.at(-1)).toBe('Created Cloudlet successfully');
        const info = await cloudletInfo();
        expect(info?.state).toBe(dme.CloudletState.READY);
        expect(info?.flavors.map((f) => f.name)).toEqual(expect.arrayContaining(['x1.tiny', 'x1.small']));
        const pids = await w.local!.pids(JSON.stringify(cloudletKey));
        expect(pids.crm && alive(pids.crm)).toBeTruthy();
        expect(pids.shepherd && alive(pids.shepherd)).toBeTruthy();

        const cluster = await outcome(
          api.clusters().createClusterInst({
            key: clusterKey(),
            flavor: { name: 'x1.small' },
            deployment: 'docker',
            ipAccess: edgeproto.IpAccess.SHARED,
          }),
        );
        expect(cluster.error).toBeUndefined();
        expect(cluster.messages.at(-1)).toBe('Created ClusterInst successfully');
      },
      2 * MIN,
    );

    it(
      'an app instance is a real process: progress streams, its port serves, health and metrics follow it, delete removes it',
      async () => {
        await createApp('web');
        const created = await outcome(api.insts().createAppInst({ key: instKey('web') }));
        expect(created.error).toBeUndefined();
        expect(created.messages).toEqual(
          expect.arrayContaining(['Creating', 'Ready', 'Created AppInst successfully']),
        );
        let ai = await inst('web');
        expect(ai?.state).toBe(TS.READY);
        const port = publicPort(ai);
        const pid = pidOf(ai);
        expect(port).toBeGreaterThan(0);
        expect(pid).toBeGreaterThan(0);
        expect(await accepts(port)).toBe(true);

        // Metrics reach InfluxDB under the original measurement names.
        const where = `WHERE "cloudlet" = '${cloudletKey.name}' AND "app" = 'web'`;
        await waitFor(
          async () => (await w.influx(`SELECT * FROM "appinst-cpu" ${where}`)).length > 0,
          'appinst-cpu',
          MIN,
        );
        expect((await w.influx(`SELECT * FROM "appinst-mem" ${where}`)).length).toBeGreaterThan(0);

        // Kill the process: AppInstDown, health not OK; bring it back (refresh): cleared, OK.
        process.kill(-pid, 'SIGKILL');
        await waitFor(async () => (await appInstDown('web')).length === 1, 'AppInstDown alert', 30_000);
        await waitFor(async () => (await inst('web'))?.healthCheck !== HC.OK, 'health not OK', 30_000);
        const refreshed = await outcome(
          api.insts().refreshAppInst({ key: instKey('web'), forceUpdate: true }),
        );
        expect(refreshed.error).toBeUndefined();
        await waitFor(async () => (await appInstDown('web')).length === 0, 'AppInstDown cleared', 30_000);
        await waitFor(async () => (await inst('web'))?.healthCheck === HC.OK, 'health OK', 30_000);
        ai = await inst('web');
        expect(await accepts(publicPort(ai))).toBe(true);

        const deleted = await outcome(api.insts().deleteAppInst({ key: instKey('web') }));
        expect(deleted.error).toBeUndefined();
        expect(await accepts(publicPort(ai))).toBe(false);
        expect(alive(pidOf(ai))).toBe(false);
        expect(w.instancePids()).toEqual([]);
      },
      3 * MIN,
    );

    it(
      'a CRM killed during a create: the instance ends in a defined state and nothing leaks',
      async () => {
        // Opens its port after 3 s: the create is still waiting when the CRM dies.
        const slow = `sleep 3; exec node -e "require('net').createServer((s) => s.end()).listen(+process.env.PORT, process.env.HOST)"`;
        await createApp('slow', slow);
        const creating = outcome(api.insts().createAppInst({ key: instKey('slow') }));
        await waitFor(async () => w.instancePids().length === 1, 'the instance process started', 30_000);
        const { crm } = await w.local!.pids(JSON.stringify(cloudletKey));
        process.kill(crm!, 'SIGKILL');
        const result = await creating;
        expect(result.error).toBeDefined();
        // The restarted CRM finds CREATING it did not start: CREATE_ERROR, and the Controller undoes the create.
        await waitFor(async () => (await inst('slow')) === undefined, 'the failed instance removed', 2 * MIN);
        await waitFor(async () => w.instancePids().length === 0, 'no instance process left', MIN);
        expect((await w.local!.pids(JSON.stringify(cloudletKey))).crm).not.toBe(crm);
        await waitFor(async () => (await cloudletInfo())?.state === dme.CloudletState.READY, 'CRM back', MIN);
      },
      4 * MIN,
    );

    it(
      'with the Controller stopped for a minute the instance keeps serving; the CRM resumes afterwards',
      async () => {
        await createApp('steady');
        expect((await outcome(api.insts().createAppInst({ key: instKey('steady') }))).error).toBeUndefined();
        const ai = await inst('steady');
        const port = publicPort(ai);
        const { crm } = await w.local!.pids(JSON.stringify(cloudletKey));
        await w.stopController();
        const until = Date.now() + MIN;
        while (Date.now() < until) {
          expect(await accepts(port)).toBe(true);
          expect(alive(crm!)).toBe(true);
          await new Promise((r) => setTimeout(r, 5000));
        }
        await w.startController();
        await waitFor(
          async () => (await cloudletInfo())?.state === dme.CloudletState.READY,
          'CRM reconnected',
          MIN,
        );
        expect((await inst('steady'))?.state).toBe(TS.READY);
        // The resumed CRM acts on new requests.
        const deleted = await outcome(api.insts().deleteAppInst({ key: instKey('steady') }));
        expect(deleted.error).toBeUndefined();
        expect(await accepts(port)).toBe(false);
      },
      4 * MIN,
    );
  },
);
