/**
 * The original DME behaviours, each against a DME fed by a real Controller (etcd) through
 * notify: the texts of missing and empty fields on every call, the carrier rules of
 * FindCloudlet (named carrier vs. public clouds padded by 100 km, empty carrier, operator
 * codes), FIND_NOTFOUND as a normal reply, and instances in maintenance, unhealthy, not
 * ready or on an offline cloudlet skipped for the next nearest — over gRPC and REST alike.
 */
import type { MessageInitShape } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { createClient, insecureClient, type Client } from '@edge/rpc';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
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

const appKey = { organization: 'dev', name: 'rules', version: '1' };
const lonelyKey = { organization: 'dev', name: 'lonely', version: '1' };
const site: Record<string, Site> = {
  wiesbaden: { org: 'telco', name: 'wiesbaden', lat: 50.08, lon: 8.24 },
  koblenz: { org: 'telco', name: 'koblenz', lat: 50.36, lon: 7.59 },
  mannheim: { org: 'other', name: 'mannheim', lat: 49.49, lon: 8.47 },
  fra: { org: 'aws', name: 'fra', lat: 50.12, lon: 8.7 },
  muc: { org: 'aws', name: 'muc', lat: 48.2, lon: 11.6 },
};
// From Frankfurt: fra 1.8 km, wiesbaden 31.6, mannheim 70.6, koblenz 82.4, muc 300.
const frankfurt = { latitude: 50.11, longitude: 8.68 };
// From Munich: muc 6.8 km, mannheim 272.7, fra 303.9, wiesbaden 325.
const munich = { latitude: 48.14, longitude: 11.58 };
const fqdn = (name: string) => `${name}.${site[name]!.org}.example.net`;

describeWithServers('original DME behaviours with a real Controller', (servers) => {
  let region: string;
  let h: ControllerHarness;
  let d: Dme;
  let grpc: Client<typeof dme.MatchEngineApi>;
  let cookie: string;

  beforeAll(async () => {
    region = uniqueName('orig');
    h = await startController({ etcd: servers.etcd, region });
    await seed(
      h,
      ...appFixtures(appKey),
      ['App', edgeproto.AppSchema, { ...appFixtures(lonelyKey)[1]![2], key: lonelyKey }],
      ['OperatorCode', edgeproto.OperatorCodeSchema, { code: '26201', organization: 'telco' }],
      ...Object.values(site).flatMap(cloudletFixtures),
      ...Object.values(site).map((s) => appInstFixture(appKey, s)),
    );
    d = await startTestDme(h);
    await waitFor(() => d.table.instCount === 5 && d.table.operatorCodes.size === 1, 20_000, 'replicated');
    grpc = createClient(dme.MatchEngineApi, d.apiAddress, { credentials: insecureClient() });
    cookie = (await grpc.registerClient({ orgName: 'dev', appName: 'rules', appVers: '1' })).sessionCookie;
  }, 60_000);
  afterAll(async () => {
    grpc?.close();
    await d?.stop();
    await h?.kv.deletePrefix(`${region}/`);
    await h?.close();
  });

  /** The FQDN found over gRPC and over REST (they must agree). */
  async function find(carrierName: string, gpsLocation: dme.Loc | typeof frankfurt): Promise<string> {
    const g = await grpc.findCloudlet({ sessionCookie: cookie, carrierName, gpsLocation });
    const r = await restCall(d, '/v1/findcloudlet', {
      session_cookie: cookie,
      carrier_name: carrierName,
      gps_location: gpsLocation,
    });
    expect(r.json['fqdn']).toBe(g.fqdn);
    return g.fqdn;
  }

  /** Waits until FindCloudlet for `carrier` at Frankfurt answers `want` (a change has arrived). */
  async function until(want: string, carrier = 'telco'): Promise<void> {
    const deadline = Date.now() + 20_000;
    let got = '';
    while (Date.now() < deadline) {
      got = (await grpc.findCloudlet({ sessionCookie: cookie, carrierName: carrier, gpsLocation: frankfurt }))
        .fqdn;
      if (got === want) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`found ${got}, expected ${want}`);
  }

  /** Both transports refuse `body` at `path` / `call` with INVALID_ARGUMENT (400) and `text`. */
  async function refused(path: string, body: unknown, call: () => Promise<unknown>, text: string, code = 3) {
    await expect(call()).rejects.toMatchObject({ code, message: text });
    const r = await restCall(d, path, body);
    expect(r.json).toMatchObject({ code, message: text });
    return r.status;
  }

  it('RegisterClient: missing and empty fields, unique id pairs, unknown apps', async () => {
    const reg = (o: MessageInitShape<typeof dme.RegisterClientRequestSchema>) => () => grpc.registerClient(o);
    for (const [body, req, text] of [
      [{ app_name: 'rules', app_vers: '1' }, { appName: 'rules', appVers: '1' }, 'OrgName cannot be empty'],
      [{ org_name: 'dev', app_vers: '1' }, { orgName: 'dev', appVers: '1' }, 'AppName cannot be empty'],
      [
        { org_name: 'dev', app_name: 'rules', app_vers: '' },
        { orgName: 'dev', appName: 'rules' },
        'AppVers cannot be empty',
      ],
      [
        { org_name: 'dev', app_name: 'rules', app_vers: '1', unique_id: 'x' },
        { orgName: 'dev', appName: 'rules', appVers: '1', uniqueId: 'x' },
        'Both, or none of UniqueId and UniqueIdType should be set',
      ],
    ] as const)
      expect(await refused('/v1/registerclient', body, reg(req), text)).toBe(400);
    const status = await refused(
      '/v1/registerclient',
      { org_name: 'dev', app_name: 'nope', app_vers: '1' },
      reg({ orgName: 'dev', appName: 'nope', appVers: '1' }),
      'app not found',
      5,
    );
    expect(status).toBe(404);
  });

  it('the other calls: missing or invalid locations and tokens, platform-only calls', async () => {
    const c = { session_cookie: cookie };
    await refused(
      '/v1/findcloudlet',
      c,
      () => grpc.findCloudlet({ sessionCookie: cookie }),
      'Missing GpsLocation',
    );
    await refused(
      '/v1/findcloudlet',
      { ...c, gps_location: { latitude: 91, longitude: 0 } },
      () => grpc.findCloudlet({ sessionCookie: cookie, gpsLocation: { latitude: 91, longitude: 0 } }),
      'Invalid GpsLocation',
    );
    await refused(
      '/v1/getappinstlist',
      c,
      () => grpc.getAppInstList({ sessionCookie: cookie }),
      'Missing GPS location',
    );
    await refused(
      '/v1/verifylocation',
      { ...c, gps_location: { latitude: 0, longitude: 0 } },
      () => grpc.verifyLocation({ sessionCookie: cookie, gpsLocation: { latitude: 0, longitude: 0 } }),
      'Missing GPS location',
    );
    await refused(
      '/v1/verifylocation',
      { ...c, gps_location: { latitude: 10, longitude: 200 } },
      () => grpc.verifyLocation({ sessionCookie: cookie, gpsLocation: { latitude: 10, longitude: 200 } }),
      'Invalid GpsLocation',
    );
    await refused(
      '/v1/getappofficialfqdn',
      c,
      () => grpc.getAppOfficialFqdn({ sessionCookie: cookie }),
      'Missing GpsLocation',
    );
    const notPlatform = 'API Not allowed for developer: dev app: rules';
    expect(
      await refused(
        '/v1/platformfindcloudlet',
        { ...c, client_token: 'x' },
        () => grpc.platformFindCloudlet({ sessionCookie: cookie, clientToken: 'x' }),
        notPlatform,
        7,
      ),
    ).toBe(403);
    await refused('/v1/getfqdnlist', c, () => grpc.getFqdnList({ sessionCookie: cookie }), notPlatform, 7);
  });

  it('FindCloudlet carrier rules: empty = all, named carrier vs. public clouds padded by 100 km, operator codes', async () => {
    // Empty carrier: the nearest of every carrier, public clouds unpadded.
    expect(await find('', frankfurt)).toBe(fqdn('fra'));
    expect(await find('', munich)).toBe(fqdn('muc'));
    // A named carrier: its own instance wins over a public cloud less than 100 km closer…
    expect(await find('telco', frankfurt)).toBe(fqdn('wiesbaden'));
    expect(await find('other', frankfurt)).toBe(fqdn('mannheim'));
    // …but not over one more than 100 km closer.
    expect(await find('telco', munich)).toBe(fqdn('muc'));
    // An operator code stands for its operator's organization.
    expect(await find('26201', frankfurt)).toBe(fqdn('wiesbaden'));
    // A public cloud named as the carrier: only public clouds, unpadded.
    expect(await find('aws', frankfurt)).toBe(fqdn('fra'));
    // A carrier without instances still gets the (padded) public clouds.
    expect(await find('nobody', frankfurt)).toBe(fqdn('fra'));
    // GetAppInstList follows the same rules: nearest first, per cloudlet.
    const list = await grpc.getAppInstList({
      sessionCookie: cookie,
      carrierName: 'telco',
      gpsLocation: frankfurt,
      limit: 3,
    });
    expect(list.cloudlets.map((c) => c.cloudletName)).toEqual(['wiesbaden', 'koblenz', 'fra']);
  });

  it('FIND_NOTFOUND is a normal reply (an App without instances)', async () => {
    const lonely = (await grpc.registerClient({ orgName: 'dev', appName: 'lonely', appVers: '1' }))
      .sessionCookie;
    const g = await grpc.findCloudlet({ sessionCookie: lonely, gpsLocation: frankfurt });
    expect(g.status).toBe(dme.FindCloudletReply_FindStatus.FIND_NOTFOUND);
    const r = await restCall(d, '/v1/findcloudlet', { session_cookie: lonely, gps_location: frankfurt });
    expect([r.status, r.json['status'], r.json['fqdn']]).toEqual([200, 'FIND_NOTFOUND', '']);
  });

  it.each([
    [
      'in maintenance (Cloudlet)',
      () => [cloudlet('wiesbaden', { maintenanceState: dme.MaintenanceState.UNDER_MAINTENANCE })],
    ],
    [
      'in maintenance (CloudletInfo)',
      () => [info('wiesbaden', { maintenanceState: dme.MaintenanceState.UNDER_MAINTENANCE })],
    ],
    ['unhealthy', () => [inst('wiesbaden', { healthCheck: dme.HealthCheck.ROOTLB_OFFLINE })]],
    ['not READY', () => [inst('wiesbaden', { state: edgeproto.TrackedState.UPDATING })]],
    ['on an offline cloudlet', () => [info('wiesbaden', { state: dme.CloudletState.OFFLINE })]],
  ])('an instance %s is skipped: the next nearest is returned', async (_, change) => {
    await until(fqdn('wiesbaden'));
    await seed(h, ...change());
    await until(fqdn('koblenz'));
    expect(await find('telco', frankfurt)).toBe(fqdn('koblenz'));
    await seed(h, ...cloudletFixtures(site['wiesbaden']!), appInstFixture(appKey, site['wiesbaden']!));
    await until(fqdn('wiesbaden'));
  });
});

type Fixture = Parameters<typeof seed>[1];
const withFields = (f: Fixture, extra: Record<string, unknown>): Fixture => [
  f[0],
  f[1],
  { ...f[2], ...extra },
];
const cloudlet = (name: string, extra: Record<string, unknown>) =>
  withFields(cloudletFixtures(site[name]!)[0]!, extra);
const info = (name: string, extra: Record<string, unknown>) =>
  withFields(cloudletFixtures(site[name]!)[1]!, extra);
const inst = (name: string, extra: Record<string, unknown>) =>
  withFields(appInstFixture(appKey, site[name]!), extra);
