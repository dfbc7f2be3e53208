/**
 * A DME fed by a real Controller (etcd) through notify: RegisterClient and FindCloudlet over
 * gRPC and over REST give the same answers; errors keep the original codes and texts.
 */
import { toJson } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { createClient, insecureClient, type Client } from '@edge/rpc';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
import { startController, type ControllerHarness } from '../../controller/src/testing/harness';
import { seed } from '../../controller/src/testing/seed';
import type { Dme } from './dme';
import {
  appFixtures,
  appInstFixture,
  cloudletFixtures,
  restCall,
  startTestDme,
  type Site,
} from './testing/region';

const appKey = { organization: 'dev', name: 'app', version: '1' };
const sites: Site[] = [
  { org: 'op', name: 'near', lat: 50.0, lon: 8.5 },
  { org: 'op', name: 'far', lat: 48.1, lon: 11.6 },
];

describeWithServers('DME with a real Controller', (servers) => {
  let h: ControllerHarness;
  let d: Dme;
  let grpc: Client<typeof dme.MatchEngineApi>;
  let region: string;

  beforeAll(async () => {
    region = uniqueName('dme');
    h = await startController({ etcd: servers.etcd, region });
    await seed(
      h,
      ...appFixtures(appKey),
      ...sites.flatMap((s) => [...cloudletFixtures(s), appInstFixture(appKey, s)]),
    );
    d = await startTestDme(h, { random: () => 0.9 });
    await waitFor(() => d.table.instCount === 2, 20_000, 'instances replicated');
    grpc = createClient(dme.MatchEngineApi, d.apiAddress, { credentials: insecureClient() });
  }, 60_000);

  afterAll(async () => {
    grpc?.close();
    await d?.stop();
    await h?.kv.deletePrefix(`${region}/`);
    await h?.close();
  });

  const rest = (path: string, body: unknown) => restCall(d, path, body);
  const asJson = (r: dme.FindCloudletReply) =>
    toJson(dme.FindCloudletReplySchema, r, { useProtoFieldName: true, alwaysEmitImplicit: true });
  const withoutCookie = (j: unknown) => ({ ...(j as object), edge_events_cookie: '' });

  it('RegisterClient + FindCloudlet over gRPC and REST give the same answers', async () => {
    const reg = await grpc.registerClient({ orgName: 'dev', appName: 'app', appVers: '1' });
    expect(reg.status).toBe(dme.ReplyStatus.RS_SUCCESS);
    expect(reg.uniqueIdType).toBe('dme-ksuid');
    expect(reg.uniqueId).toHaveLength(27);
    const loc = { latitude: 50.11, longitude: 8.68 };
    const g = await grpc.findCloudlet({
      sessionCookie: reg.sessionCookie,
      carrierName: '',
      gpsLocation: loc,
    });
    expect(g.status).toBe(dme.FindCloudletReply_FindStatus.FIND_FOUND);
    expect(g.fqdn).toBe('near.op.example.net');
    expect(g.edgeEventsCookie).not.toBe('');

    const r = await rest('/v1/registerclient', { org_name: 'dev', app_name: 'app', app_vers: '1' });
    expect(r.status).toBe(200);
    expect(r.json['status']).toBe('RS_SUCCESS');
    const f = await rest('/v1/findcloudlet', {
      session_cookie: r.json['session_cookie'],
      carrier_name: '',
      gps_location: loc,
    });
    expect(f.status).toBe(200);
    expect(withoutCookie(f.json)).toEqual(withoutCookie(asJson(g)));
    expect(f.json['status']).toBe('FIND_FOUND');

    // The cookie of one transport works on the other.
    const cross = await grpc.findCloudlet({
      sessionCookie: r.json['session_cookie'] as string,
      gpsLocation: { latitude: 48.2, longitude: 11.5 },
    });
    expect(cross.fqdn).toBe('far.op.example.net');

    // GetAppInstList: both cloudlets, nearest first, same over REST.
    const list = await grpc.getAppInstList({ sessionCookie: reg.sessionCookie, gpsLocation: loc, limit: 5 });
    expect(list.cloudlets.map((c) => c.cloudletName)).toEqual(['near', 'far']);
    const rl = await rest('/v1/getappinstlist', {
      session_cookie: reg.sessionCookie,
      gps_location: loc,
      limit: 5,
    });
    expect((rl.json['cloudlets'] as { cloudlet_name: string }[]).map((c) => c.cloudlet_name)).toEqual([
      'near',
      'far',
    ]);
  });

  it('answers errors with the original codes and texts on both transports', async () => {
    await expect(grpc.registerClient({ appName: 'app', appVers: '1' })).rejects.toMatchObject({
      code: 3,
      message: expect.stringContaining('OrgName cannot be empty'),
    });
    const r = await rest('/v1/registerclient', { org_name: 'dev', app_name: 'nope', app_vers: '1' });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ code: 5, message: 'app not found' });
    const bad = await rest('/v1/findcloudlet', {
      session_cookie: 'x',
      gps_location: { latitude: 1, longitude: 1 },
    });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ code: 16, message: 'invalid or expired cookie' });
    await expect(grpc.findCloudlet({ sessionCookie: 'x' })).rejects.toMatchObject({ code: 16 });
    const ee = await rest('/v1/streamedgeevent', {});
    expect(ee.status).toBe(404);
  });

  it('follows Controller changes: an instance on an offline cloudlet is skipped, the next nearest returned', async () => {
    const reg = await grpc.registerClient({ orgName: 'dev', appName: 'app', appVers: '1' });
    await seed(h, [
      'CloudletInfo',
      edgeproto.CloudletInfoSchema,
      { key: { organization: 'op', name: 'near' }, state: dme.CloudletState.OFFLINE },
    ]);
    const loc = { latitude: 50.11, longitude: 8.68 };
    const deadline = Date.now() + 20_000;
    let fqdn = '';
    while (Date.now() < deadline) {
      fqdn = (await grpc.findCloudlet({ sessionCookie: reg.sessionCookie, gpsLocation: loc })).fqdn;
      if (fqdn === 'far.op.example.net') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fqdn).toBe('far.op.example.net');
  });
});
