import { create } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { waitFor } from '@edge/testing';
import { createGrpcTransport } from '../grpc-transport';
import { MatchingEngine } from '../matching-engine';
import { dme } from '../proto';
import {
  EDGE_COOKIE_A,
  EDGE_COOKIE_B,
  foundB,
  startStubDme,
  STUB_APP,
  type StubDme,
} from '../testing/stub-dme';
import type { EdgeEvent } from './events';
import type { EdgeEventsSession } from './session';

const Client = dme.ClientEdgeEvent_ClientEventType;
const Server = dme.ServerEdgeEvent_ServerEventType;
const here = { latitude: 52.52, longitude: 13.405 };
const WAIT = 15000;

let stub: StubDme;
let me: MatchingEngine;
let session: EdgeEventsSession | undefined;

beforeEach(async () => {
  stub = await startStubDme();
  me = new MatchingEngine({ transport: createGrpcTransport(stub.grpcAddress), ...STUB_APP });
});
afterEach(async () => {
  await session?.close(500);
  session = undefined;
  me.close();
  await stub.close();
});

/** Opens a session on a fresh FindCloudlet reply and waits until the DME accepted it. */
async function open(options: Parameters<MatchingEngine['edgeEvents']>[1] = {}): Promise<EdgeEventsSession> {
  const found = await me.registerAndFindCloudlet(here);
  const s = me.edgeEvents(found, { initialBackoffMs: 20, maxBackoffMs: 200, ...options });
  session = s;
  await waitFor(() => s.connected, WAIT, 'edge events connected');
  return s;
}

describe('edge events session', () => {
  it('opens with EVENT_INIT_CONNECTION carrying both cookies', async () => {
    await open({ deviceInfoStatic: { deviceOs: 'Linux', deviceModel: 'test' } });
    const init = stub.streams[0]?.received[0];
    expect(init).toMatchObject({
      eventType: Client.EVENT_INIT_CONNECTION,
      sessionCookie: me.sessionCookie,
      edgeEventsCookie: EDGE_COOKIE_A,
      deviceInfoStatic: { deviceOs: 'Linux', deviceModel: 'test' },
    });
  });

  it('surfaces a server-pushed EVENT_CLOUDLET_UPDATE as newCloudlet and follows it', async () => {
    const s = await open();
    const better = s.once('newCloudlet');
    stub.streams[0]?.push({ eventType: Server.EVENT_CLOUDLET_UPDATE, newCloudlet: foundB() });
    const reply = await better;
    expect(reply.fqdn).toBe('game.cloudlet-b.example.net');
    expect(s.current.fqdn).toBe('game.cloudlet-b.example.net');
    // auto-migration: a new stream for the new instance, with its edge-events cookie
    await waitFor(() => stub.streams.length === 2 && s.connected, WAIT, 'migrated stream');
    expect(stub.streams[1]?.received[0]).toMatchObject({
      eventType: Client.EVENT_INIT_CONNECTION,
      edgeEventsCookie: EDGE_COOKIE_B,
    });
  });

  it('sends location updates and gets a better cloudlet back', async () => {
    stub.betterOnLocationUpdate = foundB();
    const s = await open({ autoMigrate: false });
    const better = s.once('newCloudlet');
    expect(s.sendLocation({ latitude: 48.1, longitude: 11.6 })).toBe(true);
    expect((await better).edgeEventsCookie).toBe(EDGE_COOKIE_B);
    const update = stub.streams[0]?.received[1];
    expect(update).toMatchObject({
      eventType: Client.EVENT_LOCATION_UPDATE,
      gpsLocation: { latitude: 48.1, longitude: 11.6 },
    });
    expect(stub.streams).toHaveLength(1);
  });

  it('sends latency samples and reports the statistics', async () => {
    const s = await open({ location: here });
    const stats = s.once('latencyProcessed');
    expect(s.sendLatencySamples([10, 20, 30])).toBe(true);
    expect(await stats).toMatchObject({ avg: 20, min: 10, max: 30, numSamples: 3n });
    const sent = stub.streams[0]?.received.find((e) => e.eventType === Client.EVENT_LATENCY_SAMPLES);
    expect(sent?.samples.map((x) => x.value)).toEqual([10, 20, 30]);
    expect(sent?.gpsLocation).toMatchObject(here);
  });

  it('answers a latency request with the configured tester', async () => {
    const s = await open({ latencyTester: async (target) => (target.fqdn ? [5, 7] : []) });
    const stats = s.once('latencyProcessed');
    stub.streams[0]?.push({ eventType: Server.EVENT_LATENCY_REQUEST });
    expect((await stats).numSamples).toBe(2n);
  });

  it('reports cloudlet state, maintenance, health and server errors', async () => {
    const s = await open();
    const seen: EdgeEvent['type'][] = [];
    const iterate = (async () => {
      for await (const e of s.events()) {
        seen.push(e.type);
        if (e.type === 'serverError') {
          expect(e.data).toBe('Received unknown event type: 9');
          break;
        }
      }
    })();
    const push = stub.streams[0]?.push ?? (() => {});
    push({ eventType: Server.EVENT_CLOUDLET_STATE, cloudletState: dme.CloudletState.OFFLINE });
    push({
      eventType: Server.EVENT_CLOUDLET_MAINTENANCE,
      maintenanceState: dme.MaintenanceState.UNDER_MAINTENANCE,
    });
    push({ eventType: Server.EVENT_APPINST_HEALTH, healthCheck: dme.HealthCheck.SERVER_FAIL });
    push({ eventType: Server.EVENT_ERROR, errorMsg: 'Received unknown event type: 9' });
    await iterate;
    expect(seen.filter((t) => t !== 'event')).toEqual([
      'cloudletState',
      'cloudletMaintenance',
      'appInstHealth',
      'serverError',
    ]);
  });

  it('reconnects with backoff after the server drops the stream', async () => {
    stub.betterOnLocationUpdate = undefined;
    const s = await open({ location: here });
    const lost = s.once('disconnected');
    const back = s.once('connected');
    stub.streams[0]?.drop();
    expect((await lost).error?.code).toBe(Code.UNAVAILABLE);
    expect(await back).toEqual({ reconnects: 1 });
    expect(stub.streams).toHaveLength(2);
    expect(stub.streams[1]?.received[0]).toMatchObject({
      eventType: Client.EVENT_INIT_CONNECTION,
      sessionCookie: me.sessionCookie,
      edgeEventsCookie: EDGE_COOKIE_A,
    });
    // the last location is re-sent on the new stream
    await waitFor(() => (stub.streams[1]?.received.length ?? 0) >= 2, WAIT, 'location re-sent');
    expect(stub.streams[1]?.received[1]?.eventType).toBe(Client.EVENT_LOCATION_UPDATE);
  });

  it('renews expired cookies before reconnecting', async () => {
    const s = await open({ location: here });
    const firstCookie = me.sessionCookie;
    stub.expireCookies();
    const back = s.once('connected');
    stub.streams[0]?.drop();
    await back;
    const init = stub.streams.at(-1)?.received[0];
    expect(init?.sessionCookie).not.toBe(firstCookie);
    expect(init?.sessionCookie).toBe(me.sessionCookie);
    expect(stub.calls.filter((c) => c.method === 'findCloudlet').length).toBeGreaterThanOrEqual(2);
  });

  it('gives up on a permanent error', async () => {
    const s = await open();
    const failed = s.once('error');
    const closed = s.once('closed');
    stub.streams[0]?.drop(new EdgeError(Code.PERMISSION_DENIED, 'not yours'));
    expect(await failed).toMatchObject({ code: Code.PERMISSION_DENIED, message: 'not yours' });
    await closed;
    expect(s.connected).toBe(false);
  });

  it('says goodbye with EVENT_TERMINATE_CONNECTION on close', async () => {
    const s = await open();
    const stream = stub.streams[0];
    await s.close();
    session = undefined;
    expect(stream?.received.at(-1)?.eventType).toBe(Client.EVENT_TERMINATE_CONNECTION);
    await waitFor(() => stream?.ended === true, WAIT, 'server stream ended');
    expect(s.sendLocation(here)).toBe(false);
  });

  it('refuses a reply without an edge-events cookie', () => {
    const empty = create(dme.FindCloudletReplySchema, {});
    expect(() => me.edgeEvents(empty)).toThrow('FindCloudlet reply has no edge events cookie');
  });
});
