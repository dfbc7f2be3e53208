/**
 * Session cookies end to end, with a DME fed by a real Controller (etcd) and configured with
 * a short cookie lifetime: a bad or expired cookie is refused as UNAUTHENTICATED `invalid or
 * expired cookie` (REST: 401 and the grpc-gateway error body), and the device SDK, on either
 * transport, registers again once and gets its answer.
 */
import { dme } from '@edge/proto';
import { createClient, insecureClient, type Client } from '@edge/rpc';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
import {
  createGrpcTransport,
  createRestTransport,
  MatchingEngine,
  type Transport,
  type UnaryMethod,
} from '../sdk/src/node';
import type { Dme } from '../services/dme/src/dme';
import {
  appFixtures,
  appInstFixture,
  cloudletFixtures,
  restCall,
  startTestDme,
  type Site,
} from '../services/dme/src/testing/region';
import { startController, type ControllerHarness } from '../services/controller/src/testing/harness';
import { seed } from '../services/controller/src/testing/seed';

const appKey = { organization: 'dev', name: 'cookies', version: '1' };
const device = { latitude: 50.11, longitude: 8.68 };
const mainz: Site = { org: 'telco', name: 'mainz', lat: 50.0, lon: 8.27 };
const REFUSED = { code: 16, error: 'invalid or expired cookie', message: 'invalid or expired cookie' };

/** `t`, recording the name of every unary call. */
function recording(t: Transport, calls: UnaryMethod[]): Transport {
  return {
    name: t.name,
    unary: (method, request, options) => {
      calls.push(method);
      return t.unary(method, request, options);
    },
    close: () => t.close(),
  };
}

describeWithServers('session cookies: bad, expired, renewed by the SDK', (servers) => {
  let region: string;
  let h: ControllerHarness;
  let d: Dme;
  let grpc: Client<typeof dme.MatchEngineApi>;

  beforeAll(async () => {
    region = uniqueName('cookie');
    h = await startController({ etcd: servers.etcd, region });
    await seed(h, ...appFixtures(appKey), ...cloudletFixtures(mainz), appInstFixture(appKey, mainz));
    // Cookies live one second (JWT expiry has whole seconds: refused 1–2 s after issue).
    d = await startTestDme(h, { cookieExpirationMs: 1000 });
    await waitFor(() => d.table.instCount === 1, 20_000, 'instance replicated');
    grpc = createClient(dme.MatchEngineApi, d.apiAddress, { credentials: insecureClient() });
  }, 60_000);
  afterAll(async () => {
    grpc?.close();
    await d?.stop();
    await h?.kv.deletePrefix(`${region}/`);
    await h?.close();
  });

  /** Resolves once the DME refuses `cookie` (it has expired). */
  async function expired(cookie: string): Promise<void> {
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await grpc.findCloudlet({ sessionCookie: cookie, gpsLocation: device });
      } catch (err) {
        expect(err).toMatchObject({ code: 16, message: 'invalid or expired cookie' });
        return;
      }
      if (Date.now() > deadline) throw new Error('cookie never expired');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('a bad cookie is refused with the exact error over REST (401 + body) and gRPC', async () => {
    for (const sessionCookie of ['', 'not-a-jwt', 'eyJhbGciOiJIUzUxMiJ9.eyJrZXkiOnt9fQ.c2ln']) {
      for (const path of [
        '/v1/findcloudlet',
        '/v1/getappinstlist',
        '/v1/verifylocation',
        '/v1/getfqdnlist',
      ]) {
        const loc = path === '/v1/getfqdnlist' ? {} : { gps_location: device };
        const r = await restCall(d, path, { session_cookie: sessionCookie, ...loc });
        expect([path, r.status, r.json]).toEqual([path, 401, REFUSED]);
      }
      await expect(grpc.findCloudlet({ sessionCookie, gpsLocation: device })).rejects.toMatchObject({
        code: 16,
        message: 'invalid or expired cookie',
      });
      await expect(grpc.getAppInstList({ sessionCookie, gpsLocation: device })).rejects.toMatchObject({
        code: 16,
        message: 'invalid or expired cookie',
      });
    }
  });

  it('an expired cookie is refused the same way over REST and gRPC', async () => {
    const reg = await grpc.registerClient({ orgName: 'dev', appName: 'cookies', appVers: '1' });
    const ok = await grpc.findCloudlet({ sessionCookie: reg.sessionCookie, gpsLocation: device });
    expect(ok.fqdn).toBe('mainz.telco.example.net');
    await expired(reg.sessionCookie);
    const r = await restCall(d, '/v1/findcloudlet', {
      session_cookie: reg.sessionCookie,
      gps_location: device,
    });
    expect([r.status, r.json]).toEqual([401, REFUSED]);
  });

  it.each([
    ['gRPC', () => createGrpcTransport(d.apiAddress)],
    ['REST', () => createRestTransport({ baseUrl: `http://${d.httpAddress}` })],
  ])(
    'the SDK over %s registers again once when its cookie expired, and the call succeeds',
    async (_, make) => {
      const calls: UnaryMethod[] = [];
      const me = new MatchingEngine({ transport: recording(make(), calls), ...sdkApp });
      try {
        expect((await me.registerAndFindCloudlet(device)).fqdn).toBe('mainz.telco.example.net');
        const first = me.sessionCookie!;
        await expired(first);
        const found = await me.findCloudlet(device);
        expect(found.fqdn).toBe('mainz.telco.example.net');
        expect(me.sessionCookie).not.toBe(first);
        expect(calls).toEqual([
          'registerClient',
          'findCloudlet',
          'findCloudlet',
          'registerClient',
          'findCloudlet',
        ]);
      } finally {
        me.close();
      }
    },
  );
});

const sdkApp = { org: appKey.organization, app: appKey.name, version: appKey.version };
