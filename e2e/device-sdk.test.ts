/**
 * The device path end to end: a Controller on real etcd feeds a DME through notify; the
 * device SDK talks to the DME over REST and gRPC. Same answers on both transports, and an
 * open edge-events session hears of a closer instance created through the Controller.
 */
import { dme, edgeproto } from '@edge/proto';
import { MemorySecretStore } from '@edge/secrets';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
import { createGrpcTransport, createRestTransport, MatchingEngine } from '../sdk/src/node';
import { createDme, type Dme } from '../services/dme/src/dme';
import { startController, type ControllerHarness } from '../services/controller/src/testing/harness';
import { seed, type Fixture } from '../services/controller/src/testing/seed';

const TS = edgeproto.TrackedState;
const appKey = { organization: 'dev', name: 'game', version: '1' };
const cloudletKey = (name: string) => ({ organization: 'telco', name });
const clusterKey = (name: string) => ({
  clusterKey: { name: 'k1' },
  cloudletKey: cloudletKey(name),
  organization: 'dev',
});
// A device in Frankfurt; instances in Munich (far) and later Mainz (near).
const device = { latitude: 50.11, longitude: 8.68 };
const where: Record<string, [number, number]> = { munich: [48.14, 11.58], mainz: [50.0, 8.27] };

const cloudletFixtures = (name: string): Fixture[] => {
  const [latitude, longitude] = where[name]!;
  return [
    [
      'Cloudlet',
      edgeproto.CloudletSchema,
      { key: cloudletKey(name), state: TS.READY, location: { latitude, longitude } },
    ],
    [
      'CloudletInfo',
      edgeproto.CloudletInfoSchema,
      { key: cloudletKey(name), state: dme.CloudletState.READY },
    ],
    ['ClusterInst', edgeproto.ClusterInstSchema, { key: clusterKey(name), state: TS.READY }],
  ];
};
const appInst = (name: string): Fixture => [
  'AppInst',
  edgeproto.AppInstSchema,
  {
    key: { appKey, clusterInstKey: clusterKey(name) },
    state: TS.READY,
    uri: `${name}.telco.example.net`,
    cloudletLoc: { latitude: where[name]![0], longitude: where[name]![1] },
    mappedPorts: [{ proto: dme.LProto.TCP, internalPort: 80, publicPort: 10080 }],
    healthCheck: dme.HealthCheck.OK,
  },
];

describeWithServers('Device SDK → DME ← Controller (real etcd)', (servers) => {
  let h: ControllerHarness;
  let d: Dme;

  beforeAll(async () => {
    h = await startController({ etcd: servers.etcd, region: uniqueName('sdk') });
    await seed(
      h,
      ['Flavor', edgeproto.FlavorSchema, { key: { name: 'f1' }, ram: 1024n, vcpus: 1n, disk: 1n }],
      [
        'App',
        edgeproto.AppSchema,
        { key: appKey, imagePath: 'img/game', accessPorts: 'tcp:80', defaultFlavor: { name: 'f1' } },
      ],
      ...cloudletFixtures('munich'),
      ...cloudletFixtures('mainz'),
      appInst('munich'),
    );
    d = createDme({
      apiAddr: '127.0.0.1:0',
      httpAddr: '127.0.0.1:0',
      notifyAddrs: [h.notifyAddress],
      secrets: new MemorySecretStore(),
      notify: { backoff: { initialMs: 20, maxMs: 200 } },
    });
    await d.start();
    await waitFor(() => d.table.instCount === 1, 20_000, 'instance replicated');
  }, 60_000);
  afterAll(async () => {
    await d?.stop();
    await h?.close();
  });

  const engine = (transport: 'rest' | 'grpc', app = appKey.name): MatchingEngine =>
    new MatchingEngine({
      transport:
        transport === 'rest'
          ? createRestTransport({ baseUrl: `http://${d.httpAddress}` })
          : createGrpcTransport(d.apiAddress),
      org: appKey.organization,
      app,
      version: appKey.version,
    });

  it('REST and gRPC give the same answers; errors carry the original texts', async () => {
    const [rest, grpc] = [engine('rest'), engine('grpc')];
    try {
      const [a, b] = await Promise.all([
        rest.registerAndFindCloudlet(device),
        grpc.registerAndFindCloudlet(device),
      ]);
      for (const r of [a, b]) {
        expect(r.status).toBe(dme.FindCloudletReply_FindStatus.FIND_FOUND);
        expect(r.fqdn).toBe('munich.telco.example.net');
        expect(r.ports[0]?.publicPort).toBe(10080);
      }
      expect({ ...a, edgeEventsCookie: '' }).toEqual({ ...b, edgeEventsCookie: '' });
      const [la, lb] = await Promise.all([rest.getAppInstList(device, 5), grpc.getAppInstList(device, 5)]);
      expect(la).toEqual(lb);
      for (const e of [engine('rest', 'nope'), engine('grpc', 'nope')]) {
        await expect(e.registerClient()).rejects.toMatchObject({ message: 'app not found' });
        e.close();
      }
    } finally {
      rest.close();
      grpc.close();
    }
  }, 60_000);

  it('an open edge-events session hears of a closer instance created through the Controller', async () => {
    const me = engine('grpc');
    try {
      const found = await me.registerAndFindCloudlet(device);
      expect(found.fqdn).toBe('munich.telco.example.net');
      const session = me.edgeEvents(found, { autoMigrate: false });
      const better = session.once('newCloudlet');
      if (!session.connected) await session.once('connected');
      session.sendLocation(device);
      await seed(h, appInst('mainz'));
      const update = await better;
      expect(update.fqdn).toBe('mainz.telco.example.net');
      await session.close();
    } finally {
      me.close();
    }
  }, 60_000);
});
