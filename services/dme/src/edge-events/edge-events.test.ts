import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { silentLogger } from '@edge/log';
import { dme, edgeproto } from '@edge/proto';
import type { HandlerContext } from '@edge/rpc';
import { MemorySecretStore } from '@edge/secrets';
import { Cookies } from '../auth/cookies';
import { KeyRing } from '../auth/key-ring';
import { Selector } from '../match/select';
import { DmeTable } from '../state/dme-table';
import { instKey, putApp, putCloudlet } from '../testing/fixtures';
import { computeStatistics, EdgeEvents, locationTile } from './index';
import { Queue } from './queue';

const C = dme.ClientEdgeEvent_ClientEventType;
const S = dme.ServerEdgeEvent_ServerEventType;
const conn = { id: 1, name: 'ctrl', peer: 'x' };

describe('computeStatistics', () => {
  it('gives avg, min, max, sample variance and std dev', () => {
    const s = computeStatistics([10, 20, 30, 40], 1_500);
    expect(s).toMatchObject({ avg: 25, min: 10, max: 40, numSamples: 4n });
    expect(s.variance).toBeCloseTo(166.6667, 3);
    expect(s.stdDev).toBeCloseTo(Math.sqrt(166.6667), 3);
    expect(s.timestamp).toMatchObject({ seconds: 1n, nanos: 500_000_000 });
    expect(computeStatistics([5], 0)).toMatchObject({ avg: 5, variance: 0, stdDev: 0, numSamples: 1n });
  });
});

describe('locationTile', () => {
  it('puts near points in the same tile and far ones apart', () => {
    expect(locationTile(50.1, 8.68, 2)).toBe(locationTile(50.1001, 8.6801, 2));
    expect(locationTile(50.1, 8.68, 2)).not.toBe(locationTile(50.2, 8.68, 2));
    expect(locationTile(50.1, 8.68, 2)).toMatch(/^[-\d.]+,[-\d.]+_[-\d.]+,[-\d.]+_2$/);
  });
});

describe('StreamEdgeEvent', () => {
  let table: DmeTable;
  let ee: EdgeEvents;
  let cookies: Cookies;
  let metrics: edgeproto.Metric[];
  let handler: ReturnType<EdgeEvents['handler']>;

  const putInst = (cloudlet: string, lat: number, lon: number, health = dme.HealthCheck.OK) => {
    const key = instKey(cloudlet, 'op');
    const ai = create(edgeproto.AppInstSchema, {
      key,
      cloudletLoc: { latitude: lat, longitude: lon },
      uri: `${cloudlet}.example.net`,
      state: edgeproto.TrackedState.READY,
      healthCheck: health,
    });
    ee.sink.apply({ type: 'edgeproto.AppInst', key: JSON.stringify(key), rev: 1, obj: ai }, conn);
  };
  const info = (name: string, state: dme.CloudletState) =>
    ee.sink.apply(
      {
        type: 'edgeproto.CloudletInfo',
        key: JSON.stringify({ organization: 'op', name }),
        rev: 2,
        obj: create(edgeproto.CloudletInfoSchema, { key: { organization: 'op', name }, state }),
      },
      conn,
    );

  beforeEach(async () => {
    table = new DmeTable();
    metrics = [];
    const selector = new Selector(table, { randomizeVeryClose: false });
    ee = new EdgeEvents({ table, selector, sendMetric: (m) => metrics.push(m), log: silentLogger() });
    cookies = new Cookies(await KeyRing.open(new MemorySecretStore()), {
      sessionMs: 60_000,
      edgeEventsMs: 60_000,
    });
    handler = ee.handler(cookies);
    putApp(table);
    putCloudlet(table, 'near', 'op', 50, 8.5);
    putCloudlet(table, 'far', 'op', 48.1, 11.6);
    putInst('far', 48.1, 11.6);
  });

  const session = () =>
    cookies.session({ peerip: '1.2.3.4', orgname: 'dev', appname: 'app', appvers: '1', uniqueid: 'u1' });
  const eeCookie = (cloudlet = 'far') =>
    cookies.edgeEvents({
      clusterorg: 'dev',
      clustername: 'k1',
      cloudletorg: 'op',
      cloudletname: cloudlet,
      location: { latitude: 50.1, longitude: 8.6 },
    });
  const ctx = { log: silentLogger(), signal: new AbortController().signal } as unknown as HandlerContext;

  /** Opens a stream; returns the request queue and a reader of replies. */
  const open = (first: MessageInitShape<typeof dme.ClientEdgeEventSchema>) => {
    const reqs = new Queue<dme.ClientEdgeEvent>();
    reqs.push(create(dme.ClientEdgeEventSchema, first));
    const it = handler(reqs, ctx)[Symbol.asyncIterator]();
    const next = async () => (await it.next()).value as dme.ServerEdgeEvent | undefined;
    return { reqs, it, next };
  };
  const init = () =>
    open({ eventType: C.EVENT_INIT_CONNECTION, sessionCookie: session(), edgeEventsCookie: eeCookie() });

  it('requires EVENT_INIT_CONNECTION first, and both cookies valid', async () => {
    await expect(open({ eventType: C.EVENT_LATENCY_SAMPLES }).next()).rejects.toMatchObject({
      code: 3,
      message: 'First message should have event type EVENT_INIT_CONNECTION',
    });
    await expect(
      open({ eventType: C.EVENT_INIT_CONNECTION, sessionCookie: 'x', edgeEventsCookie: eeCookie() }).next(),
    ).rejects.toMatchObject({ code: 16, message: 'invalid or expired cookie' });
    await expect(
      open({ eventType: C.EVENT_INIT_CONNECTION, sessionCookie: session(), edgeEventsCookie: '' }).next(),
    ).rejects.toMatchObject({ code: 16, message: 'invalid or expired cookie' });
  });

  it('answers init, latency samples, unknown types, bad locations; terminates', async () => {
    const s = init();
    expect((await s.next())?.eventType).toBe(S.EVENT_INIT_CONNECTION);
    expect(ee.clients.size).toBe(1);
    s.reqs.push(
      create(dme.ClientEdgeEventSchema, {
        eventType: C.EVENT_LATENCY_SAMPLES,
        samples: [{ value: 10 }, { value: 20 }, { value: 30 }],
        gpsLocation: { latitude: 50.1, longitude: 8.6 },
        deviceInfoDynamic: { carrierName: 'op', dataNetworkType: '5G' },
      }),
    );
    const lat = await s.next();
    expect(lat?.eventType).toBe(S.EVENT_LATENCY_PROCESSED);
    expect(lat?.statistics).toMatchObject({
      avg: 20,
      min: 10,
      max: 30,
      variance: 100,
      stdDev: 10,
      numSamples: 3n,
    });
    s.reqs.push(create(dme.ClientEdgeEventSchema, { eventType: C.EVENT_UNKNOWN }));
    expect(await s.next()).toMatchObject({
      eventType: S.EVENT_ERROR,
      errorMsg: 'Received unknown event type: EVENT_UNKNOWN',
    });
    s.reqs.push(
      create(dme.ClientEdgeEventSchema, {
        eventType: C.EVENT_LOCATION_UPDATE,
        gpsLocation: { latitude: 100, longitude: 0 },
      }),
    );
    expect(await s.next()).toMatchObject({
      eventType: S.EVENT_ERROR,
      errorMsg: 'Invalid EVENT_LOCATION_UPDATE, invalid location: Invalid GpsLocation',
    });
    s.reqs.push(
      create(dme.ClientEdgeEventSchema, {
        eventType: C.EVENT_CUSTOM_EVENT,
        customEvent: 'fps',
        samples: [{ value: 60 }],
      }),
    );
    s.reqs.push(create(dme.ClientEdgeEventSchema, { eventType: C.EVENT_TERMINATE_CONNECTION }));
    expect(await s.next()).toBeUndefined();
    expect(ee.clients.size).toBe(0);

    ee.metrics.flush();
    const names = metrics.map((m) => m.name).sort();
    expect(names).toEqual(['custom-metric', 'device-metric', 'latency-metric']);
    const lm = metrics.find((m) => m.name === 'latency-metric')!;
    const tags = Object.fromEntries(lm.tags.map((t) => [t.name, t.val]));
    expect(tags).toMatchObject({
      app: 'app',
      apporg: 'dev',
      cloudlet: 'far',
      cloudletorg: 'op',
      devicecarrier: 'op',
      datanetworktype: '5G',
      locationtile: locationTile(50.1, 8.6, 2),
    });
    const vals = Object.fromEntries(lm.vals.map((v) => [v.name, v.value.value]));
    expect(vals).toMatchObject({ avg: 20, min: 10, max: 30, numsamples: 3n, '10ms': 2n, '25ms': 1n });
    metrics.length = 0;
    ee.metrics.flush();
    expect(metrics).toEqual([]);
  });

  it('location update → EVENT_CLOUDLET_UPDATE when another instance is best', async () => {
    putInst('near', 50, 8.5);
    const s = init();
    await s.next();
    s.reqs.push(
      create(dme.ClientEdgeEventSchema, {
        eventType: C.EVENT_LOCATION_UPDATE,
        gpsLocation: { latitude: 50.1, longitude: 8.6 },
      }),
    );
    const ev = await s.next();
    expect(ev?.eventType).toBe(S.EVENT_CLOUDLET_UPDATE);
    expect(ev?.newCloudlet).toMatchObject({
      status: dme.FindCloudletReply_FindStatus.FIND_FOUND,
      fqdn: 'near.example.net',
    });
    expect(cookies.verifyEdgeEvents(ev!.newCloudlet!.edgeEventsCookie)).toMatchObject({
      cloudletname: 'near',
    });
    await s.it.return?.();
    expect(ee.clients.size).toBe(0);
  });

  const cloudletMaint = (name: string, m: dme.MaintenanceState) =>
    ee.sink.apply(
      {
        type: 'edgeproto.Cloudlet',
        key: JSON.stringify({ organization: 'op', name }),
        rev: 3,
        obj: create(edgeproto.CloudletSchema, { key: { organization: 'op', name }, maintenanceState: m }),
      },
      conn,
    );

  it('pushes cloudlet state, health, and a new closer instance', async () => {
    // The watcher learns the current states first (as after the initial notify sync).
    info('far', dme.CloudletState.READY);
    cloudletMaint('far', dme.MaintenanceState.NORMAL_OPERATION);
    const s = init();
    await s.next();
    putInst('near', 50, 8.5);
    const up = await s.next();
    expect(up?.eventType).toBe(S.EVENT_CLOUDLET_UPDATE);
    expect(up?.newCloudlet?.fqdn).toBe('near.example.net');

    putInst('far', 48.1, 11.6, dme.HealthCheck.SERVER_FAIL);
    expect(await s.next()).toMatchObject({
      eventType: S.EVENT_APPINST_HEALTH,
      healthCheck: dme.HealthCheck.SERVER_FAIL,
      newCloudlet: { fqdn: 'near.example.net' },
    });
    info('far', dme.CloudletState.OFFLINE);
    expect(await s.next()).toMatchObject({
      eventType: S.EVENT_CLOUDLET_STATE,
      cloudletState: dme.CloudletState.OFFLINE,
    });
    cloudletMaint('far', dme.MaintenanceState.UNDER_MAINTENANCE);
    expect(await s.next()).toMatchObject({
      eventType: S.EVENT_CLOUDLET_MAINTENANCE,
      maintenanceState: dme.MaintenanceState.UNDER_MAINTENANCE,
    });
    await s.it.return?.();
  });
});
