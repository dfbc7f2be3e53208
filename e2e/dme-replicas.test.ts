/**
 * Several DMEs per region give the same answers: one Controller on real etcd feeds two DMEs
 * through notify; the same FindCloudlet and GetAppInstList requests (every device position ×
 * carrier) get identical answers from both, up to the cookies, before and after changes made
 * through the Controller (a new instance, a cloudlet entering maintenance, an unhealthy
 * instance). The DMEs share their signing keys, so a device's cookie works on either.
 */
import { toJson } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { createClient, insecureClient, type Client } from '@edge/rpc';
import { MemorySecretStore } from '@edge/secrets';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
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

type Api = Client<typeof dme.MatchEngineApi>;

const appKey = { organization: 'dev', name: 'twin', version: '1' };
const site: Record<string, Site> = {
  berlin: { org: 'telco', name: 'berlin', lat: 52.52, lon: 13.4 },
  munich: { org: 'telco', name: 'munich', lat: 48.14, lon: 11.58 },
  hamburg: { org: 'other', name: 'hamburg', lat: 53.55, lon: 9.99 },
  frankfurt: { org: 'aws', name: 'frankfurt', lat: 50.11, lon: 8.68 },
  leipzig: { org: 'telco', name: 'leipzig', lat: 51.34, lon: 12.37 },
};
/** Device positions: near each site, and in between. */
const devices = [
  { latitude: 52.4, longitude: 13.1 },
  { latitude: 48.2, longitude: 11.4 },
  { latitude: 53.5, longitude: 10.1 },
  { latitude: 50.9, longitude: 6.95 },
  { latitude: 51.3, longitude: 12.4 },
  { latitude: 49.45, longitude: 11.08 },
  { latitude: 54.3, longitude: 10.1 },
];
const carriers = ['', 'telco', 'other', 'nobody'];
const inst = (name: string) => appInstFixture(appKey, site[name]!);

/** A reply as JSON with every edge-events cookie blanked (they carry their issue time). */
function normalized(schema: Parameters<typeof toJson>[0], msg: Parameters<typeof toJson>[1]): unknown {
  return JSON.parse(
    JSON.stringify(toJson(schema, msg, { useProtoFieldName: true, alwaysEmitImplicit: true }), (k, v) =>
      k === 'edge_events_cookie' ? '' : (v as unknown),
    ),
  );
}

describeWithServers('Several DMEs of a region (real Controller, etcd)', (servers) => {
  let region: string;
  let h: ControllerHarness;
  const dmes: Dme[] = [];
  const apis: Api[] = [];
  const cookies: string[] = [];

  beforeAll(async () => {
    region = uniqueName('twins');
    h = await startController({ etcd: servers.etcd, region });
    await seed(
      h,
      ...appFixtures(appKey),
      ...Object.values(site).flatMap(cloudletFixtures),
      inst('berlin'),
      inst('munich'),
      inst('hamburg'),
      inst('frankfurt'),
    );
    const secrets = new MemorySecretStore();
    for (const name of ['dme-a', 'dme-b']) {
      const d = await startTestDme(h, { name, secrets, httpAddr: '' });
      dmes.push(d);
      apis.push(createClient(dme.MatchEngineApi, d.apiAddress, { credentials: insecureClient() }));
    }
    for (const d of dmes) await waitFor(() => d.table.instCount === 4, 20_000, 'instances replicated');
    for (const api of apis)
      cookies.push(
        (await api.registerClient({ orgName: 'dev', appName: 'twin', appVers: '1' })).sessionCookie,
      );
  }, 60_000);

  afterAll(async () => {
    for (const api of apis) api.close();
    for (const d of dmes) await d.stop();
    await h?.kv.deletePrefix(`${region}/`);
    await h?.close();
  });

  /** Every FindCloudlet and GetAppInstList answer of DME `i`. */
  async function answers(i: number): Promise<unknown[]> {
    const api = apis[i]!;
    const sessionCookie = cookies[i]!;
    const out: unknown[] = [];
    for (const gpsLocation of devices) {
      for (const carrierName of carriers) {
        const f = await api.findCloudlet({ sessionCookie, carrierName, gpsLocation });
        out.push(normalized(dme.FindCloudletReplySchema, f));
        const l = await api.getAppInstList({ sessionCookie, carrierName, gpsLocation, limit: 5 });
        out.push(normalized(dme.AppInstListReplySchema, l));
      }
    }
    return out;
  }

  /** The FQDN each DME finds for `at` now. */
  const fqdns = (at: dme.Loc | (typeof devices)[number]) =>
    Promise.all(
      apis.map(
        async (api, i) => (await api.findCloudlet({ sessionCookie: cookies[i]!, gpsLocation: at })).fqdn,
      ),
    );

  /** Waits until both DMEs find `fqdn` for `at` (the change has reached both). */
  async function bothFind(at: (typeof devices)[number], fqdn: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    let got: string[] = [];
    while (Date.now() < deadline) {
      got = await fqdns(at);
      if (got.every((f) => f === fqdn)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`DMEs find ${got.join(', ')}, expected ${fqdn}`);
  }

  const expectSameAnswers = async (): Promise<void> => {
    const [a, b] = [await answers(0), await answers(1)];
    expect(a).toHaveLength(devices.length * carriers.length * 2);
    expect(b).toEqual(a);
  };

  it('answer identically, and accept each other’s session cookies', async () => {
    await expectSameAnswers();
    expect(await fqdns(devices[0]!)).toEqual(['berlin.telco.example.net', 'berlin.telco.example.net']);
    const cross = await apis[1]!.findCloudlet({ sessionCookie: cookies[0]!, gpsLocation: devices[1]! });
    expect(cross.fqdn).toBe('munich.telco.example.net');
  });

  it('still answer identically after a new instance is created', async () => {
    await seed(h, inst('leipzig'));
    await bothFind(devices[4]!, 'leipzig.telco.example.net');
    await expectSameAnswers();
  });

  it('still answer identically after a cloudlet enters maintenance', async () => {
    const [type, schema, cloudlet] = cloudletFixtures(site['berlin']!)[0]!;
    await seed(h, [type, schema, { ...cloudlet, maintenanceState: dme.MaintenanceState.UNDER_MAINTENANCE }]);
    await bothFind(devices[0]!, 'leipzig.telco.example.net');
    await expectSameAnswers();
  });

  it('still answer identically after an instance turns unhealthy', async () => {
    const [type, schema, munich] = inst('munich');
    await seed(h, [type, schema, { ...munich, healthCheck: dme.HealthCheck.SERVER_FAIL }]);
    await bothFind(devices[1]!, 'frankfurt.aws.example.net');
    await expectSameAnswers();
    // Putting it right is seen the same way too.
    await seed(
      h,
      [type, schema, munich],
      ['Cloudlet', edgeproto.CloudletSchema, cloudletFixtures(site['berlin']!)[0]![2]],
    );
    await bothFind(devices[1]!, 'munich.telco.example.net');
    await bothFind(devices[0]!, 'berlin.telco.example.net');
    await expectSameAnswers();
  });
});
