/**
 * The device path end to end: a Controller on real etcd feeds a DME through notify; the
 * device SDK talks to the DME over REST and gRPC. Same answers on both transports, and an
 * open edge-events session hears of a closer instance created through the Controller.
 */
import { dme } from '@edge/proto';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
import { createGrpcTransport, createRestTransport, MatchingEngine } from '../sdk/src/node';
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

const appKey = { organization: 'dev', name: 'game', version: '1' };
// A device in Frankfurt; instances in Munich (far) and later Mainz (near).
const device = { latitude: 50.11, longitude: 8.68 };
const munich: Site = { org: 'telco', name: 'munich', lat: 48.14, lon: 11.58 };
const mainz: Site = { org: 'telco', name: 'mainz', lat: 50.0, lon: 8.27 };

describeWithServers('Device SDK → DME ← Controller (real etcd)', (servers) => {
  let h: ControllerHarness;
  let d: Dme;

  beforeAll(async () => {
    h = await startController({ etcd: servers.etcd, region: uniqueName('sdk') });
    await seed(
      h,
      ...appFixtures(appKey),
      ...cloudletFixtures(munich),
      ...cloudletFixtures(mainz),
      appInstFixture(appKey, munich),
    );
    d = await startTestDme(h);
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
      await seed(h, appInstFixture(appKey, mainz));
      const update = await better;
      expect(update.fqdn).toBe('mainz.telco.example.net');
      await session.close();
    } finally {
      me.close();
    }
  }, 60_000);
});
