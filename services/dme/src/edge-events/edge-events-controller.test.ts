/**
 * Edge events with a real Controller (etcd) feeding the DME through notify: an open stream
 * gets EVENT_CLOUDLET_UPDATE when a closer instance is created through the Controller.
 */
import { dme, edgeproto } from '@edge/proto';
import { createClient, insecureClient, type Client } from '@edge/rpc';
import { MemorySecretStore } from '@edge/secrets';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
import { startController, type ControllerHarness } from '../../../controller/src/testing/harness';
import { seed, type Fixture } from '../../../controller/src/testing/seed';
import { createDme, type Dme } from '../dme';
import { Queue } from './queue';

const TS = edgeproto.TrackedState;
const C = dme.ClientEdgeEvent_ClientEventType;
const S = dme.ServerEdgeEvent_ServerEventType;
const cloudletKey = (name: string) => ({ organization: 'op', name });
const clusterKey = (name: string) => ({
  clusterKey: { name: 'k1' },
  cloudletKey: cloudletKey(name),
  organization: 'dev',
});
const appKey = { organization: 'dev', name: 'app', version: '1' };
const where: Record<string, [number, number]> = { near: [50.0, 8.5], far: [48.1, 11.6] };
const appInst = (name: string): Fixture => [
  'AppInst',
  edgeproto.AppInstSchema,
  {
    key: { appKey, clusterInstKey: clusterKey(name) },
    state: TS.READY,
    uri: `${name}.op.example.net`,
    cloudletLoc: { latitude: where[name]![0], longitude: where[name]![1] },
    healthCheck: dme.HealthCheck.OK,
  },
];

describeWithServers('edge events with a real Controller', (servers) => {
  let h: ControllerHarness;
  let d: Dme;
  let grpc: Client<typeof dme.MatchEngineApi>;
  let region: string;

  beforeAll(async () => {
    region = uniqueName('dmeee');
    h = await startController({ etcd: servers.etcd, region });
    await seed(
      h,
      ['Flavor', edgeproto.FlavorSchema, { key: { name: 'f1' }, ram: 1024n, vcpus: 1n, disk: 1n }],
      [
        'App',
        edgeproto.AppSchema,
        { key: appKey, imagePath: 'img/app', accessPorts: 'tcp:80', defaultFlavor: { name: 'f1' } },
      ],
      ...Object.entries(where).flatMap(([name, [lat, lon]]) => [
        [
          'Cloudlet',
          edgeproto.CloudletSchema,
          { key: cloudletKey(name), state: TS.READY, location: { latitude: lat, longitude: lon } },
        ] as Fixture,
        [
          'CloudletInfo',
          edgeproto.CloudletInfoSchema,
          { key: cloudletKey(name), state: dme.CloudletState.READY },
        ] as Fixture,
        ['ClusterInst', edgeproto.ClusterInstSchema, { key: clusterKey(name), state: TS.READY }] as Fixture,
      ]),
      appInst('far'),
    );
    d = createDme({
      apiAddr: '127.0.0.1:0',
      httpAddr: '',
      notifyAddrs: [h.notifyAddress],
      secrets: new MemorySecretStore(),
      notify: { backoff: { initialMs: 20, maxMs: 200 } },
    });
    await d.start();
    await waitFor(() => d.table.instCount === 1, 20_000, 'instance replicated');
    grpc = createClient(dme.MatchEngineApi, d.apiAddress, { credentials: insecureClient() });
  }, 60_000);

  afterAll(async () => {
    grpc?.close();
    await d?.stop();
    await h?.kv.deletePrefix(`${region}/`);
    await h?.close();
  });

  it('rejects a stream whose first message is not EVENT_INIT_CONNECTION', async () => {
    const reqs = new Queue<dme.ClientEdgeEvent>();
    reqs.push({ eventType: C.EVENT_LATENCY_SAMPLES } as dme.ClientEdgeEvent);
    const read = async () => {
      for await (const _ of grpc.streamEdgeEvent(reqs)) void _;
    };
    await expect(read()).rejects.toMatchObject({
      code: 3,
      message: expect.stringContaining('First message should have event type EVENT_INIT_CONNECTION'),
    });
    reqs.end();
  });

  it('an open stream gets latency stats, and EVENT_CLOUDLET_UPDATE when a closer instance is created', async () => {
    const reg = await grpc.registerClient({ orgName: 'dev', appName: 'app', appVers: '1' });
    const loc = { latitude: 50.11, longitude: 8.68 };
    const found = await grpc.findCloudlet({ sessionCookie: reg.sessionCookie, gpsLocation: loc });
    expect(found.fqdn).toBe('far.op.example.net');

    const reqs = new Queue<dme.ClientEdgeEvent>();
    reqs.push({
      eventType: C.EVENT_INIT_CONNECTION,
      sessionCookie: reg.sessionCookie,
      edgeEventsCookie: found.edgeEventsCookie,
      gpsLocation: loc,
    } as dme.ClientEdgeEvent);
    const it = grpc.streamEdgeEvent(reqs)[Symbol.asyncIterator]();
    const next = async () => (await it.next()).value as dme.ServerEdgeEvent;
    expect((await next()).eventType).toBe(S.EVENT_INIT_CONNECTION);
    reqs.push({
      eventType: C.EVENT_LATENCY_SAMPLES,
      samples: [{ value: 4 }, { value: 6 }],
    } as dme.ClientEdgeEvent);
    const stats = await next();
    expect(stats.eventType).toBe(S.EVENT_LATENCY_PROCESSED);
    expect(stats.statistics).toMatchObject({ avg: 5, min: 4, max: 6, numSamples: 2n, variance: 2 });
    await waitFor(() => d.edgeEvents.clients.size === 1, 20_000, 'client registered');

    await seed(h, appInst('near'));
    const up = await next();
    expect(up.eventType).toBe(S.EVENT_CLOUDLET_UPDATE);
    expect(up.newCloudlet?.fqdn).toBe('near.op.example.net');
    expect(up.newCloudlet?.edgeEventsCookie).not.toBe('');

    reqs.push({ eventType: C.EVENT_TERMINATE_CONNECTION } as dme.ClientEdgeEvent);
    reqs.end();
    expect((await it.next()).done).toBe(true);
    await waitFor(() => d.edgeEvents.clients.size === 0, 20_000, 'client removed');
  }, 60_000);
});
