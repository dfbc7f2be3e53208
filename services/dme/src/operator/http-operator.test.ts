/** The HTTP operator clients against the simulated operator servers in e2e/sims/operator. */
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { dme } from '@edge/proto';
import { decodeToken, generateToken, LocApiSim, QosSessionSim } from '../../../../e2e/sims/operator';
import { LocationClient } from './http-location';
import { HttpOperator } from './http-operator';
import { QosSessionClient } from './http-qos-sessions';

const LS = dme.VerifyLocationReply_GPSLocationStatus;
const P = dme.QosSessionProfile;
const DS = dme.QosPrioritySessionDeleteReply_DeleteStatus;
const DEVICE = '10.1.2.3';
const AT = { latitude: 50.11, longitude: 8.68 };

describe('LocationClient against LocApiSim', () => {
  const sim = new LocApiSim({
    locations: { [DEVICE]: AT, '10.9.9.9': { latitude: 40.7, longitude: -74.0 } },
    // Two boxes are enough to tell countries apart.
    countryOf: (lat, lon) => (lon < -30 ? 'US' : lat > 47 ? 'DE' : 'IT'),
    homeCountry: 'DE',
  });
  let client: LocationClient;

  beforeAll(async () => {
    await sim.start();
    client = new LocationClient({ locVerUrl: `${sim.url}/verifyLocation`, tokSrvUrl: sim.tokenServerUrl() });
  });
  afterAll(() => sim.close());

  it('answers VERIFIED with the distance band, else same/other-country mismatch or unknown', async () => {
    const tok = generateToken(DEVICE);
    expect(await client.verify(50.111, 8.681, tok)).toEqual({ status: LS.LOC_VERIFIED, accuracyKm: 2 });
    expect(await client.verify(50.15, 8.68, tok)).toEqual({ status: LS.LOC_VERIFIED, accuracyKm: 10 });
    expect(await client.verify(50.5, 8.68, tok)).toEqual({ status: LS.LOC_VERIFIED, accuracyKm: 100 });
    expect(await client.verify(53.55, 9.99, tok)).toEqual({
      status: LS.LOC_MISMATCH_SAME_COUNTRY,
      accuracyKm: -1,
    });
    expect(await client.verify(45.46, 9.19, tok)).toEqual({
      status: LS.LOC_ROAMING_COUNTRY_MISMATCH,
      accuracyKm: -1,
    });
    expect(await client.verify(52.52, 13.4, generateToken('10.9.9.9'))).toEqual({
      status: LS.LOC_MISMATCH_OTHER_COUNTRY,
      accuracyKm: -1,
    });
    expect(await client.verify(50.1, 8.6, generateToken('10.0.0.99'))).toEqual({
      status: LS.LOC_UNKNOWN,
      accuracyKm: -1,
    });
  });

  it('answers LOC_ERROR_UNAUTHORIZED for expired or garbled tokens', async () => {
    const expired = generateToken(DEVICE, -10);
    expect((await client.verify(AT.latitude, AT.longitude, expired)).status).toBe(LS.LOC_ERROR_UNAUTHORIZED);
    expect((await client.verify(AT.latitude, AT.longitude, 'nope!')).status).toBe(LS.LOC_ERROR_UNAUTHORIZED);
  });

  it('answers LOC_ERROR_OTHER without followURL, for a missing field and for an unreachable server', async () => {
    const noFollow = new LocationClient({
      locVerUrl: `${sim.url}/verifyLocation`,
      tokSrvUrl: `${sim.url}/its`,
    });
    expect((await noFollow.verify(1, 1, 'x')).status).toBe(LS.LOC_ERROR_OTHER);
    expect((await client.verify(0, 0, generateToken(DEVICE))).status).toBe(LS.LOC_ERROR_OTHER);
    const down = new LocationClient({
      locVerUrl: 'http://127.0.0.1:1/verifyLocation',
      tokSrvUrl: sim.tokenServerUrl(),
    });
    expect((await down.verify(1, 1, 'x')).status).toBe(LS.LOC_ERROR_OTHER);
  });

  it('hands out tokens for the caller IP through the token server redirect', async () => {
    const res = await fetch(sim.tokenServerUrl('http://svc.example.net/'), { redirect: 'manual' });
    expect(res.status).toBe(303);
    const loc = new URL(res.headers.get('location') ?? '');
    expect(loc.origin).toBe('http://svc.example.net');
    expect(decodeToken(loc.searchParams.get('dt-id') ?? '')).toEqual({ ip: '127.0.0.1', valid: true });
  });

  it('learns device locations through /updateLocation', async () => {
    const up = await fetch(`${sim.url}/updateLocation`, {
      method: 'POST',
      body: JSON.stringify({ latitude: 48.1, longitude: 11.6, ipaddr: '10.7.7.7' }),
    });
    expect(await up.text()).toBe('Location DB Updated OK for 10.7.7.7\n');
    expect((await client.verify(48.1, 11.6, generateToken('10.7.7.7'))).accuracyKm).toBe(2);
  });

  it('refuses wrong basic auth as unauthorized', async () => {
    const locked = new LocApiSim({ locations: { [DEVICE]: AT }, basicAuth: { user: 'u', password: 'p' } });
    await locked.start();
    try {
      const opts = { locVerUrl: `${locked.url}/verifyLocation`, tokSrvUrl: locked.tokenServerUrl() };
      const bad = new LocationClient({ ...opts, basicAuth: { user: 'u', password: 'x' } });
      expect((await bad.verify(AT.latitude, AT.longitude, generateToken(DEVICE))).status).toBe(
        LS.LOC_ERROR_UNAUTHORIZED,
      );
      const good = new LocationClient({ ...opts, basicAuth: { user: 'u', password: 'p' } });
      expect((await good.verify(AT.latitude, AT.longitude, generateToken(DEVICE))).status).toBe(
        LS.LOC_VERIFIED,
      );
    } finally {
      await locked.close();
    }
  });
});

describe('QosSessionClient against QosSessionSim', () => {
  let nowMs = 1_700_000_000_000;
  let seq = 0;
  const sim = new QosSessionSim({ now: () => nowMs, newId: () => `ses-${++seq}` });
  let client: QosSessionClient;
  const req = (init: MessageInitShape<typeof dme.QosPrioritySessionCreateRequestSchema> = {}) =>
    create(dme.QosPrioritySessionCreateRequestSchema, {
      ipUserEquipment: '10.1.2.3',
      ipApplicationServer: '192.0.2.10',
      portApplicationServer: '443',
      profile: P.QOS_LOW_LATENCY,
      ...init,
    });
  const del = (sessionId: string, profile: dme.QosSessionProfile) =>
    client.delete(create(dme.QosPrioritySessionDeleteRequestSchema, { sessionId, profile }));

  beforeAll(async () => {
    await sim.start();
    client = new QosSessionClient({ qosSesAddr: sim.url });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.sessions.clear());

  it('creates a session (id, started, expires; default 24 h) and deletes it; unknown ids are not found', async () => {
    const r = await client.create(req());
    expect(r).toMatchObject({
      httpStatus: 201,
      profile: P.QOS_LOW_LATENCY,
      sessionDuration: 86400,
      startedAt: 1_700_000_000,
      expiresAt: 1_700_086_400,
    });
    expect(r.sessionId).toMatch(/^ses-/);
    expect(sim.sessions.get(r.sessionId)).toMatchObject({
      qos: 'LOW_LATENCY',
      ueAddr: '10.1.2.3',
      protocolIn: 'TCP',
    });
    expect((await del(r.sessionId, P.QOS_LOW_LATENCY)).status).toBe(DS.QDEL_DELETED);
    expect((await del(r.sessionId, P.QOS_LOW_LATENCY)).status).toBe(DS.QDEL_NOT_FOUND);
  });

  it('keeps an existing session of the same flow and profile, replaces one of another profile', async () => {
    const a = await client.create(req({ sessionDuration: 600 }));
    const same = await client.create(req({ sessionDuration: 600 }));
    expect(same).toMatchObject({ httpStatus: 200, sessionId: a.sessionId, expiresAt: a.expiresAt });
    const other = await client.create(req({ profile: P.QOS_THROUGHPUT_DOWN_M }));
    expect(other).toMatchObject({ httpStatus: 201, profile: P.QOS_THROUGHPUT_DOWN_M });
    expect(other.sessionId).not.toBe(a.sessionId);
    expect([...sim.sessions.keys()]).toEqual([other.sessionId]);
  });

  it('drops expired sessions', async () => {
    const a = await client.create(req({ sessionDuration: 60 }));
    nowMs += 61_000;
    expect((await del(a.sessionId, P.QOS_LOW_LATENCY)).status).toBe(DS.QDEL_NOT_FOUND);
  });

  it('rejects bad requests with the original texts', async () => {
    await expect(client.create(req({ ipUserEquipment: 'fe80::1' }))).rejects.toMatchObject({
      code: 3,
      message: 'Invalid Address for IpUserEquipment: fe80::1',
    });
    await expect(client.create(req({ ipApplicationServer: '' }))).rejects.toMatchObject({
      message: 'Invalid Address for IpApplicationServer: ',
    });
    await expect(client.create(req({ profile: P.QOS_NO_PRIORITY }))).rejects.toMatchObject({
      message: 'Operation not permitted with profileName QOS_NO_PRIORITY',
    });
    await expect(client.create(req({ sessionDuration: 90000 }))).rejects.toMatchObject({
      code: 3,
      message: '400 - Invalid Duration value: 90000',
    });
    await expect(client.create(req({ portApplicationServer: '' }))).rejects.toMatchObject({
      message: expect.stringContaining('400 - missing field(s) AsPorts'),
    });
  });

  it('sends the API key; a refused key is an unknown status', async () => {
    const locked = new QosSessionSim({ apiKey: 'k1' });
    await locked.start();
    try {
      const ok = await new QosSessionClient({ qosSesAddr: locked.url, apiKey: 'k1' }).create(req());
      expect(ok.httpStatus).toBe(201);
      await expect(
        new QosSessionClient({ qosSesAddr: locked.url, apiKey: 'k2' }).create(req()),
      ).rejects.toMatchObject({
        code: 2,
        message: 'API call received unknown status: 401',
      });
    } finally {
      await locked.close();
    }
  });

  it('reports an unreachable server as UNAVAILABLE', async () => {
    const down = new QosSessionClient({ qosSesAddr: 'http://127.0.0.1:1' });
    await expect(down.create(req())).rejects.toMatchObject({ code: 14 });
  });
});

describe('HttpOperator', () => {
  it('requires a token server and a VerifyLocToken when a location server is configured', async () => {
    const v = (op: HttpOperator, verifyLocToken: string) =>
      op.verifyLocation(create(dme.VerifyLocationRequestSchema, { gpsLocation: AT, verifyLocToken }));
    const noTok = new HttpOperator({ locVerUrl: 'http://127.0.0.1:1/verifyLocation' });
    await expect(v(noTok, 'x')).rejects.toMatchObject({ code: 3, message: 'DME has no token server' });
    const op = new HttpOperator({
      locVerUrl: 'http://127.0.0.1:1/verifyLocation',
      tokSrvUrl: 'http://t/its?followURL=x',
    });
    await expect(v(op, '')).rejects.toMatchObject({ code: 3, message: 'no VerifyLocToken in request' });
  });

  it('without a QoS server cannot create sessions', async () => {
    const op = new HttpOperator({ locVerUrl: 'http://127.0.0.1:1/verifyLocation' });
    await expect(
      op.createQosSession(create(dme.QosPrioritySessionCreateRequestSchema, {})),
    ).rejects.toMatchObject({
      message: 'Cannot create session because qosSesAddr not defined.',
    });
  });
});
