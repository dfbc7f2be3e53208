/**
 * RequestAppInstLatency end to end: two Controllers of one region on real etcd, a DME fed by
 * the second, a device with an open edge-events session (device SDK over gRPC). The request,
 * made on the first Controller, reaches the DME through the region and the notify tree; the
 * DME asks the device (EVENT_LATENCY_REQUEST), the SDK measures and sends its samples, and
 * the DME answers their statistics.
 */
import { dme, edgeproto } from '@edge/proto';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
import { createGrpcTransport, MatchingEngine } from '../sdk/src/node';
import type { Dme } from '../services/dme/src/dme';
import {
  appFixtures,
  appInstFixture,
  cloudletFixtures,
  startTestDme,
  type Site,
} from '../services/dme/src/testing/region';
import { startController, type ControllerHarness } from '../services/controller/src/testing/harness';
import { seed } from '../services/controller/src/testing/seed';

const appKey = { organization: 'dev', name: 'lat', version: '1' };
const device = { latitude: 50.11, longitude: 8.68 };
const mainz: Site = { org: 'telco', name: 'mainz', lat: 50.0, lon: 8.27 };
const instKey = (clusterOrg = 'dev', cloudlet = mainz.name) => ({
  appKey,
  clusterInstKey: {
    clusterKey: { name: 'k1' },
    cloudletKey: { organization: mainz.org, name: cloudlet },
    organization: clusterOrg,
  },
});

describeWithServers('RequestAppInstLatency: Controller → notify → DME → device SDK', (servers) => {
  let region: string;
  let a: ControllerHarness;
  let b: ControllerHarness;
  let d: Dme;

  beforeAll(async () => {
    region = uniqueName('lat');
    a = await startController({ etcd: servers.etcd, region });
    b = await startController({ etcd: servers.etcd, region });
    await seed(a, ...appFixtures(appKey), ...cloudletFixtures(mainz), appInstFixture(appKey, mainz));
    d = await startTestDme(b, { httpAddr: '' });
    await waitFor(() => d.table.instCount === 1, 20_000, 'instance replicated');
  }, 60_000);
  afterAll(async () => {
    await d?.stop();
    await a?.kv.deletePrefix(`${region}/`);
    await b?.close();
    await a?.close();
  });

  it('asks the devices following the instance for samples, and they get their statistics', async () => {
    const me = new MatchingEngine({
      transport: createGrpcTransport(d.apiAddress),
      org: appKey.organization,
      app: appKey.name,
      version: appKey.version,
    });
    const measured: string[] = [];
    try {
      const found = await me.registerAndFindCloudlet(device);
      expect(found.fqdn).toBe('mainz.telco.example.net');
      const session = me.edgeEvents(found, {
        location: device,
        latencyTester: async (target) => {
          measured.push(target.fqdn);
          return [3, 5];
        },
      });
      if (!session.connected) await session.once('connected');
      await waitFor(() => d.edgeEvents.clients.size === 1, 20_000, 'edge-events client registered');

      const asked = session.once('latencyRequest');
      const stats = session.once('latencyProcessed');
      // The cluster organization is left out: it defaults to the App's, as in the original.
      const res = await a.client(edgeproto.AppInstLatencyApi).requestAppInstLatency({ key: instKey('') });
      expect(res.message).toBe('successfully sent latency request');
      expect((await asked).eventType).toBe(dme.ServerEdgeEvent_ServerEventType.EVENT_LATENCY_REQUEST);
      expect(await stats).toMatchObject({ avg: 4, min: 3, max: 5, numSamples: 2n });
      expect(measured).toEqual(['mainz.telco.example.net']);
      await session.close();
    } finally {
      me.close();
    }
  }, 60_000);

  it('refuses an AppInst that does not exist, with the original text', async () => {
    const api = a.client(edgeproto.AppInstLatencyApi);
    await expect(api.requestAppInstLatency({ key: instKey('dev', 'nowhere') })).rejects.toMatchObject({
      code: 5,
      message: expect.stringContaining(
        'AppInst key {"app_key":{"organization":"dev","name":"lat","version":"1"},"cluster_inst_key":{"cluster_key":{"name":"k1"},"cloudlet_key":{"organization":"telco","name":"nowhere"},"organization":"dev"}} not found',
      ),
    });
    await expect(
      api.requestAppInstLatency({ key: { ...instKey(), appKey: { ...appKey, name: '' } } }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('Invalid app name') });
  });
});
