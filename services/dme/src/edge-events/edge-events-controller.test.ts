/**
 * Edge events with a real Controller (etcd) feeding the DME through notify: an open stream
 * gets EVENT_CLOUDLET_UPDATE when a closer instance is created through the Controller.
 */
import { dme } from '@edge/proto';
import { createClient, insecureClient, type Client } from '@edge/rpc';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
import { startController, type ControllerHarness } from '../../../controller/src/testing/harness';
import { seed } from '../../../controller/src/testing/seed';
import type { Dme } from '../dme';
import { appFixtures, appInstFixture, cloudletFixtures, startTestDme, type Site } from '../testing/region';
import { Queue } from './queue';

const C = dme.ClientEdgeEvent_ClientEventType;
const S = dme.ServerEdgeEvent_ServerEventType;
const appKey = { organization: 'dev', name: 'app', version: '1' };
const site: Record<string, Site> = {
  near: { org: 'op', name: 'near', lat: 50.0, lon: 8.5 },
  far: { org: 'op', name: 'far', lat: 48.1, lon: 11.6 },
};
const appInst = (name: string) => appInstFixture(appKey, site[name]!);

describeWithServers('edge events with a real Controller', (servers) => {
  let h: ControllerHarness;
  let d: Dme;
  let grpc: Client<typeof dme.MatchEngineApi>;
  let region: string;

  beforeAll(async () => {
    region = uniqueName('dmeee');
    h = await startController({ etcd: servers.etcd, region });
    await seed(h, ...appFixtures(appKey), ...Object.values(site).flatMap(cloudletFixtures), appInst('far'));
    d = await startTestDme(h, { httpAddr: '' });
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
