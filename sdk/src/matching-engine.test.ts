import { toJson } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { DmeError } from './dme-error';
import { createGrpcTransport } from './grpc-transport';
import { MatchingEngine } from './matching-engine';
import { dme } from './proto';
import { createRestTransport } from './rest-transport';
import { startStubDme, STUB_APP, type StubDme } from './testing/stub-dme';
import type { Transport } from './transport';

const here = { latitude: 52.52, longitude: 13.405 };

let stub: StubDme;
beforeAll(async () => {
  stub = await startStubDme();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.calls.length = 0;
  stub.refuseCookies = false;
  stub.failRegister = undefined;
});

const transports: [string, () => Transport][] = [
  ['REST', () => createRestTransport({ baseUrl: stub.restUrl })],
  ['gRPC', () => createGrpcTransport(stub.grpcAddress)],
];

async function caught(p: Promise<unknown>): Promise<DmeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DmeError) return err;
    throw new Error(`expected a DmeError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail');
}

describe.each(transports)('MatchingEngine over %s', (_name, makeTransport) => {
  let me: MatchingEngine;
  beforeEach(() => {
    me = new MatchingEngine({ transport: makeTransport(), ...STUB_APP });
  });
  afterEach(() => me.close());

  const registers = (): number => stub.calls.filter((c) => c.method === 'registerClient').length;

  it('registers and finds the nearest instance', async () => {
    const found = await me.registerAndFindCloudlet(here);
    expect(found.status).toBe(dme.FindCloudletReply_FindStatus.FIND_FOUND);
    expect(found.fqdn).toBe('game.cloudlet-a.example.net');
    expect(found.ports[0]).toMatchObject({ proto: dme.LProto.TCP, publicPort: 17777, fqdnPrefix: 'tcp.' });
    expect(found.edgeEventsCookie).toBe('edge-cookie-A');
    expect(me.sessionCookie).toMatch(/^session-/);
    expect(me.uniqueId).toEqual({ id: '2ABCDEFGHIJKLMNOPQRSTUVWXYZ', type: 'dme-ksuid' });
    const req = stub.calls.find((c) => c.method === 'findCloudlet')?.request as dme.FindCloudletRequest;
    expect(req.sessionCookie).toBe(me.sessionCookie);
    expect(req.gpsLocation).toMatchObject(here);
  });

  it('sends the registration fields the DME checks', async () => {
    const withId = new MatchingEngine({
      transport: makeTransport(),
      ...STUB_APP,
      uniqueId: 'device-1',
      authToken: 'jwt',
      carrier: 'tmus',
    });
    await withId.registerClient();
    withId.close();
    const req = stub.calls[0]?.request as dme.RegisterClientRequest;
    expect(req).toMatchObject({
      orgName: 'devorg',
      appName: 'game',
      appVers: '1.0',
      uniqueId: 'device-1',
      uniqueIdType: 'sdk-uuid',
      authToken: 'jwt',
      carrierName: 'tmus',
    });
  });

  it('keeps the session cookie across calls and registers lazily once', async () => {
    await me.findCloudlet(here);
    await me.getAppInstList(here, 1);
    await me.verifyLocation(here);
    expect(registers()).toBe(1);
  });

  it('shares one registration between concurrent first calls', async () => {
    await Promise.all([me.findCloudlet(here), me.verifyLocation(here), me.getFqdnList()]);
    expect(registers()).toBe(1);
  });

  it('re-registers once on UNAUTHENTICATED and retries with the new cookie', async () => {
    await me.registerClient();
    const old = me.sessionCookie;
    stub.expireCookies();
    const found = await me.findCloudlet(here);
    expect(found.status).toBe(dme.FindCloudletReply_FindStatus.FIND_FOUND);
    expect(me.sessionCookie).not.toBe(old);
    expect(stub.calls.map((c) => c.method)).toEqual([
      'registerClient',
      'findCloudlet',
      'registerClient',
      'findCloudlet',
    ]);
  });

  it('gives up after one re-registration when the cookie is still refused', async () => {
    stub.refuseCookies = true;
    const err = await caught(me.findCloudlet(here));
    expect(err).toMatchObject({
      code: Code.UNAUTHENTICATED,
      httpStatus: 401,
      message: 'invalid or expired cookie',
    });
    expect(registers()).toBe(2);
  });

  it('maps refusals to DmeError with the gRPC code, HTTP status and exact text', async () => {
    const unknownApp = new MatchingEngine({
      transport: makeTransport(),
      org: 'devorg',
      app: 'nope',
      version: '1',
    });
    const err = await caught(unknownApp.registerClient());
    unknownApp.close();
    expect(err).toBeInstanceOf(DmeError);
    expect(err).toMatchObject({ code: Code.NOT_FOUND, httpStatus: 404, message: 'app not found' });

    const noOrg = new MatchingEngine({ transport: makeTransport(), org: '', app: 'game', version: '1' });
    const err2 = await caught(noOrg.registerClient());
    noOrg.close();
    expect(err2).toMatchObject({
      code: Code.INVALID_ARGUMENT,
      httpStatus: 400,
      message: 'OrgName cannot be empty',
    });
  });

  it('returns FIND_NOTFOUND as a normal reply', async () => {
    const found = await me.findCloudlet(here, 'nowhere');
    expect(found.status).toBe(dme.FindCloudletReply_FindStatus.FIND_NOTFOUND);
    expect(found.fqdn).toBe('');
  });

  it('answers the other device calls', async () => {
    const list = await me.getAppInstList(here, 3);
    expect(list.status).toBe(dme.AppInstListReply_AIStatus.AI_SUCCESS);
    expect(list.cloudlets[0]?.appinstances[0]?.fqdn).toBe('game.cloudlet-a.example.net');
    const verified = await me.verifyLocation(here);
    expect(verified.gpsLocationStatus).toBe(dme.VerifyLocationReply_GPSLocationStatus.LOC_VERIFIED);
    const fqdns = await me.getFqdnList();
    expect(fqdns.appFqdns[0]?.fqdns).toEqual(['game.example.net']);
    const official = await me.getAppOfficialFqdn(here);
    expect(official).toMatchObject({ appOfficialFqdn: 'game.example.net', clientToken: 'client-token' });
  });
});

describe('REST and gRPC', () => {
  it('give identical results for the same requests', async () => {
    const results = [];
    for (const [, makeTransport] of transports) {
      const me = new MatchingEngine({ transport: makeTransport(), ...STUB_APP, uniqueId: 'same-device' });
      const reg = await me.registerClient();
      results.push({
        register: { ...toJson(dme.RegisterClientReplySchema, reg), sessionCookie: '' },
        find: toJson(dme.FindCloudletReplySchema, await me.findCloudlet(here)),
        list: toJson(dme.AppInstListReplySchema, await me.getAppInstList(here, 2)),
        verify: toJson(dme.VerifyLocationReplySchema, await me.verifyLocation(here)),
        fqdns: toJson(dme.FqdnListReplySchema, await me.getFqdnList()),
        official: toJson(dme.AppOfficialFqdnReplySchema, await me.getAppOfficialFqdn(here)),
        notFound: await caught(
          new MatchingEngine({ transport: me.transport, org: 'o', app: 'x', version: '1' }).registerClient(),
        ).then((e) => ({ code: e.code, httpStatus: e.httpStatus, message: e.message })),
      });
      me.close();
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]?.find).toMatchObject({ status: 'FIND_FOUND', edgeEventsCookie: 'edge-cookie-A' });
  });
});

describe('edgeEvents over REST', () => {
  it('is refused: the REST gateway does not serve bidi streams', () => {
    const me = new MatchingEngine({ transport: createRestTransport({ baseUrl: stub.restUrl }), ...STUB_APP });
    const found = { edgeEventsCookie: 'edge-cookie-A' } as dme.FindCloudletReply;
    expect(() => me.edgeEvents(found)).toThrow(/edge events need a streaming transport/);
  });
});
