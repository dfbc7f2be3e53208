/**
 * A DME fed by a real Controller, configured with the simulated operator servers: VerifyLocation
 * and the QoS session calls over gRPC and REST reach the sims and give the same answers;
 * FindCloudlet creates a QoS session for an App with a QoS profile.
 */
import { dme, edgeproto } from '@edge/proto';
import { createClient, insecureClient, type Client } from '@edge/rpc';
import { describeWithServers, uniqueName, waitFor } from '@edge/testing';
import { LocApiSim, QosSessionSim } from '../../../../e2e/sims/operator';
import { startController, type ControllerHarness } from '../../../controller/src/testing/harness';
import { seed } from '../../../controller/src/testing/seed';
import type { Dme } from '../dme';
import { appFixtures, appInstFixture, cloudletFixtures, restCall, startTestDme } from '../testing/region';
import { createOperatorApi } from './http-operator';

const appKey = { organization: 'dev', name: 'opapp', version: '1' };
const DEVICE_AT = { latitude: 50.11, longitude: 8.68 };

describeWithServers('DME operator APIs with a real Controller and the operator sims', (servers) => {
  let h: ControllerHarness;
  let d: Dme;
  let grpc: Client<typeof dme.MatchEngineApi>;
  let region: string;
  const loc = new LocApiSim({ locations: { '127.0.0.1': DEVICE_AT } });
  const qos = new QosSessionSim();

  beforeAll(async () => {
    await loc.start();
    await qos.start();
    region = uniqueName('dmeop');
    h = await startController({ etcd: servers.etcd, region });
    await seed(h, ...appFixtures(appKey));
    const tokSrvUrl = loc.tokenServerUrl();
    d = await startTestDme(h, {
      tokenServerUri: tokSrvUrl,
      operator: createOperatorApi({ locVerUrl: `${loc.url}/verifyLocation`, tokSrvUrl, qosSesAddr: qos.url }),
    });
    await waitFor(() => d.table.apps.size > 0, 20_000, 'app replicated');
    grpc = createClient(dme.MatchEngineApi, d.apiAddress, { credentials: insecureClient() });
  }, 60_000);

  afterAll(async () => {
    grpc?.close();
    await d?.stop();
    await h?.kv.deletePrefix(`${region}/`);
    await h?.close();
    await loc.close();
    await qos.close();
  });

  const rest = (path: string, body: unknown) => restCall(d, path, body);
  /** What a device does: follow the token server URI from RegisterClient, keep `dt-id`. */
  const fetchToken = async (tokenServerUri: string): Promise<string> => {
    const res = await fetch(tokenServerUri, { redirect: 'manual' });
    return new URL(res.headers.get('location') ?? '').searchParams.get('dt-id') ?? '';
  };

  it('VerifyLocation over gRPC and REST: verified by band, mismatch, and the original errors', async () => {
    const reg = await grpc.registerClient({ orgName: 'dev', appName: 'opapp', appVers: '1' });
    const token = await fetchToken(reg.tokenServerUri);
    const near = { latitude: 50.111, longitude: 8.681 };
    const g = await grpc.verifyLocation({
      sessionCookie: reg.sessionCookie,
      gpsLocation: near,
      verifyLocToken: token,
    });
    expect(g.gpsLocationStatus).toBe(dme.VerifyLocationReply_GPSLocationStatus.LOC_VERIFIED);
    expect(g.gpsLocationAccuracyKm).toBe(2);
    const r = await rest('/v1/verifylocation', {
      session_cookie: reg.sessionCookie,
      gps_location: near,
      verify_loc_token: token,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ gps_location_status: 'LOC_VERIFIED', gps_location_accuracy_km: 2 });
    const far = await rest('/v1/verifylocation', {
      session_cookie: reg.sessionCookie,
      gps_location: { latitude: 48.1, longitude: 11.6 },
      verify_loc_token: token,
    });
    expect(far.json).toMatchObject({
      gps_location_status: 'LOC_MISMATCH_SAME_COUNTRY',
      gps_location_accuracy_km: -1,
    });

    await expect(
      grpc.verifyLocation({ sessionCookie: reg.sessionCookie, verifyLocToken: token }),
    ).rejects.toMatchObject({
      code: 3,
      message: expect.stringContaining('Missing GPS location'),
    });
    const bad = await rest('/v1/verifylocation', {
      session_cookie: reg.sessionCookie,
      gps_location: { latitude: 91, longitude: 1 },
      verify_loc_token: token,
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 3, message: 'Invalid GpsLocation' });
    const noTok = await rest('/v1/verifylocation', { session_cookie: reg.sessionCookie, gps_location: near });
    expect(noTok.json).toMatchObject({ code: 3, message: 'no VerifyLocToken in request' });
    const noCookie = await rest('/v1/verifylocation', { session_cookie: 'x', gps_location: near });
    expect(noCookie.status).toBe(401);
  });

  it('QosPrioritySessionCreate / Delete over gRPC and REST reach the QoS server', async () => {
    const reg = await grpc.registerClient({ orgName: 'dev', appName: 'opapp', appVers: '1' });
    const c = await grpc.qosPrioritySessionCreate({
      sessionCookie: reg.sessionCookie,
      ipUserEquipment: '10.0.0.5',
      ipApplicationServer: '192.0.2.7',
      portApplicationServer: '8080',
      profile: dme.QosSessionProfile.QOS_THROUGHPUT_DOWN_S,
      sessionDuration: 300,
    });
    expect(c).toMatchObject({
      httpStatus: 201,
      sessionDuration: 300,
      profile: dme.QosSessionProfile.QOS_THROUGHPUT_DOWN_S,
    });
    expect(c.expiresAt - c.startedAt).toBe(300);
    expect(qos.sessions.has(c.sessionId)).toBe(true);

    const r = await rest('/v1/qosprioritysessioncreate', {
      session_cookie: reg.sessionCookie,
      ip_user_equipment: '10.0.0.6',
      ip_application_server: '192.0.2.7',
      port_application_server: '8080',
      profile: 'QOS_LOW_LATENCY',
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ http_status: 201, profile: 'QOS_LOW_LATENCY', session_duration: 86400 });
    const restId = r.json['session_id'] as string;
    expect(qos.sessions.has(restId)).toBe(true);

    const bad = await rest('/v1/qosprioritysessioncreate', {
      session_cookie: reg.sessionCookie,
      ip_user_equipment: 'nope',
      ip_application_server: '192.0.2.7',
      profile: 'QOS_LOW_LATENCY',
    });
    expect(bad.json).toMatchObject({ code: 3, message: 'Invalid Address for IpUserEquipment: nope' });

    const dg = await grpc.qosPrioritySessionDelete({
      sessionCookie: reg.sessionCookie,
      sessionId: c.sessionId,
      profile: dme.QosSessionProfile.QOS_THROUGHPUT_DOWN_S,
    });
    expect(dg.status).toBe(dme.QosPrioritySessionDeleteReply_DeleteStatus.QDEL_DELETED);
    const dr = await rest('/v1/qosprioritysessiondelete', {
      session_cookie: reg.sessionCookie,
      session_id: restId,
      profile: 'QOS_LOW_LATENCY',
    });
    expect(dr.json).toMatchObject({ status: 'QDEL_DELETED' });
    const again = await rest('/v1/qosprioritysessiondelete', {
      session_cookie: reg.sessionCookie,
      session_id: restId,
      profile: 'QOS_LOW_LATENCY',
    });
    expect(again.json).toMatchObject({ status: 'QDEL_NOT_FOUND' });
  });

  it('FindCloudlet creates a QoS priority session for an App with a QoS profile, over gRPC and REST', async () => {
    const qosKey = { organization: 'dev', name: 'qosapp', version: '1' };
    const site = { org: 'op', name: 'edge1', lat: 50.0, lon: 8.5 };
    const [type, schema, inst] = appInstFixture(qosKey, site);
    const [, , app] = appFixtures(qosKey)[1]!;
    await seed(
      h,
      [
        'App',
        edgeproto.AppSchema,
        { ...app, qosSessionProfile: edgeproto.QosSessionProfile.QOS_LOW_LATENCY },
      ],
      ...cloudletFixtures(site),
      [type, schema, { ...inst, uri: '127.0.0.1' }],
    );
    await waitFor(() => d.table.instCount === 1, 20_000, 'instance replicated');
    const reg = await grpc.registerClient({ orgName: 'dev', appName: 'qosapp', appVers: '1' });
    const g = await grpc.findCloudlet({
      sessionCookie: reg.sessionCookie,
      gpsLocation: DEVICE_AT,
      tags: { ip_user_equipment: '10.0.0.9' },
    });
    expect(g.qosResult).toBe(dme.FindCloudletReply_QosSessionResult.QOS_SESSION_CREATED);
    const id = g.tags['priority_session_id'] ?? '';
    expect(qos.sessions.get(id)).toMatchObject({ ueAddr: '10.0.0.9', asAddr: '127.0.0.1', asPorts: '80' });
    expect(g.tags['qos_profile_name']).toBe('QOS_LOW_LATENCY');

    const r = await rest('/v1/findcloudlet', {
      session_cookie: reg.sessionCookie,
      gps_location: DEVICE_AT,
      tags: { ip_user_equipment: '10.0.0.10' },
    });
    expect(r.json).toMatchObject({
      status: 'FIND_FOUND',
      qos_result: 'QOS_SESSION_CREATED',
      qos_error_msg: '',
    });
    expect(qos.sessions.has((r.json['tags'] as Record<string, string>)['priority_session_id']!)).toBe(true);

    const noUe = await rest('/v1/findcloudlet', {
      session_cookie: reg.sessionCookie,
      gps_location: DEVICE_AT,
    });
    expect(noUe.json).toMatchObject({
      qos_result: 'QOS_SESSION_FAILED',
      qos_error_msg: 'ip_user_equipment value not found in tags',
    });
    // An App without a profile: not attempted (and no instance: FIND_NOTFOUND, never attempted).
    const plain = await grpc.registerClient({ orgName: 'dev', appName: 'opapp', appVers: '1' });
    const p = await grpc.findCloudlet({ sessionCookie: plain.sessionCookie, gpsLocation: DEVICE_AT });
    expect([p.status, p.qosResult]).toEqual([
      dme.FindCloudletReply_FindStatus.FIND_NOTFOUND,
      dme.FindCloudletReply_QosSessionResult.QOS_NOT_ATTEMPTED,
    ]);
  });

  it('GetLocation and GetQosPositionKpi answer simulated results', async () => {
    const reg = await grpc.registerClient({ orgName: 'dev', appName: 'opapp', appVers: '1' });
    const g = await grpc.getLocation({ sessionCookie: reg.sessionCookie, carrierName: 'TDG' });
    expect(g).toMatchObject({ status: dme.GetLocationReply_LocStatus.LOC_FOUND, carrierName: 'TDG' });
    const replies: dme.QosPositionKpiReply[] = [];
    for await (const m of grpc.getQosPositionKpi({
      sessionCookie: reg.sessionCookie,
      positions: [{ positionid: 7n, gpsLocation: DEVICE_AT }],
    }))
      replies.push(m);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.positionResults.map((p) => p.positionid)).toEqual([7n]);
  });
});
