import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import type { Logger } from '@edge/log';
import { dme } from '@edge/proto';
import type { HandlerContext } from '@edge/rpc';
import type { CookieKey, Cookies } from '../auth/cookies';
import { validLocation } from '../match/geo';
import type { DmeTable } from '../state/dme-table';
import { instId, type EdgeClient, type EdgeClients } from './clients';
import { locationTile } from './location-tile';
import type { DeviceTags, EdgeEventsMetrics, InstTags } from './metrics';
import { Queue } from './queue';
import { computeStatistics } from './statistics';

const C = dme.ClientEdgeEvent_ClientEventType;
const S = dme.ServerEdgeEvent_ServerEventType;
type Out = MessageInitShape<typeof dme.ServerEdgeEventSchema>;

export const FIRST_MESSAGE_INIT = 'First message should have event type EVENT_INIT_CONNECTION';

export interface StreamDeps {
  table: DmeTable;
  cookies: Cookies;
  clients: EdgeClients;
  metrics?: EdgeEventsMetrics;
  now?: () => number;
  log?: Logger;
}

/**
 * The StreamEdgeEvent handler (reference §4.5): init with both cookies, then client events
 * answered in order, interleaved with the server-initiated events the client registry pushes.
 */
export function streamEdgeEvent(d: StreamDeps) {
  const now = d.now ?? Date.now;
  return async function* (
    reqs: AsyncIterable<dme.ClientEdgeEvent>,
    ctx: HandlerContext,
  ): AsyncGenerator<Out, void, undefined> {
    const it = reqs[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return;
    const init = first.value;
    if (init.eventType !== C.EVENT_INIT_CONNECTION) throw invalidArgument(FIRST_MESSAGE_INIT);
    const sk = d.cookies.verifySession(init.sessionCookie);
    const ek = d.cookies.verifyEdgeEvents(init.edgeEventsCookie);
    const appKey = JSON.stringify({
      organization: sk.orgname ?? '',
      name: sk.appname ?? '',
      version: sk.appvers ?? '',
    });
    const inst: InstTags = {
      app: sk.appname ?? '',
      apporg: sk.orgname ?? '',
      ver: sk.appvers ?? '',
      cloudlet: ek.cloudletname ?? '',
      cloudletorg: ek.cloudletorg ?? '',
      cluster: ek.clustername ?? '',
      clusterorg: ek.clusterorg ?? '',
    };
    const out = new Queue<Out>();
    const device = deviceTags(init);
    const cookieLoc = ek.location ? create(dme.LocSchema, ek.location) : undefined;
    const client: EdgeClient = {
      id: JSON.stringify(withoutKid(sk)),
      cookieKey: sk,
      inst: instId(appKey, inst.cloudletorg, inst.cloudlet, inst.clusterorg, inst.cluster),
      appKey,
      cloudletKey: JSON.stringify({ organization: inst.cloudletorg, name: inst.cloudlet }),
      lastLoc: validGps(init.gpsLocation) ? init.gpsLocation : cookieLoc,
      carrier: init.deviceInfoDynamic?.carrierName ?? '',
      offered: undefined,
      send: (ev) => out.push(ev),
    };
    const tileOf = (loc: dme.Loc | undefined): string => {
      const side = Number(d.table.settings?.locationTileSideLengthKm ?? 0n) || 2;
      return loc ? locationTile(loc.latitude, loc.longitude, side) : '';
    };
    d.clients.add(client);
    d.metrics?.recordSession(inst, tileOf(client.lastLoc), device);
    const log = (d.log ?? ctx.log).child({ client: client.id, inst: client.inst });
    log.debug('edge events client connected');
    out.push({ eventType: S.EVENT_INIT_CONNECTION });

    const handle = (ev: dme.ClientEdgeEvent): boolean => {
      switch (ev.eventType) {
        case C.EVENT_TERMINATE_CONNECTION:
          return false;
        case C.EVENT_LATENCY_SAMPLES: {
          const values = ev.samples.map((s) => s.value);
          if (validGps(ev.gpsLocation)) client.lastLoc = ev.gpsLocation;
          mergeDevice(device, ev);
          d.metrics?.recordLatency(inst, tileOf(client.lastLoc), { ...device }, values);
          out.push({ eventType: S.EVENT_LATENCY_PROCESSED, statistics: computeStatistics(values, now()) });
          return true;
        }
        case C.EVENT_LOCATION_UPDATE: {
          const loc = ev.gpsLocation;
          if (!validGps(loc)) {
            const why = loc ? 'Invalid GpsLocation' : 'Missing GpsLocation';
            out.push(error(`Invalid EVENT_LOCATION_UPDATE, invalid location: ${why}`));
            return true;
          }
          client.lastLoc = loc;
          mergeDevice(device, ev);
          if (ev.deviceInfoDynamic?.carrierName) client.carrier = ev.deviceInfoDynamic.carrierName;
          d.clients.offerBetter(client, true);
          return true;
        }
        case C.EVENT_CUSTOM_EVENT:
          d.metrics?.recordCustom(
            inst,
            ev.customEvent,
            ev.samples.map((s) => s.value),
          );
          return true;
        default:
          out.push(error(`Received unknown event type: ${C[ev.eventType] ?? String(ev.eventType)}`));
          return true;
      }
    };

    const reader = (async () => {
      for (let r = await it.next(); !r.done; r = await it.next()) if (!handle(r.value)) break;
      out.end();
    })().catch((err: unknown) => out.fail(err));
    try {
      for await (const ev of out) yield ev;
    } finally {
      d.clients.remove(client);
      out.end();
      // Not awaited: a read may be pending on the request stream; the transport ends it.
      it.return?.().catch(() => undefined);
      void reader;
      log.debug('edge events client gone');
    }
  };
}

const validGps = (loc: dme.Loc | undefined): loc is dme.Loc =>
  loc !== undefined && validLocation(loc.latitude, loc.longitude);

const error = (msg: string): Out => ({ eventType: S.EVENT_ERROR, errorMsg: msg });

function withoutKid(k: CookieKey): CookieKey {
  const { kid: _kid, ...rest } = k;
  return rest;
}

function deviceTags(ev: dme.ClientEdgeEvent): DeviceTags {
  const t: DeviceTags = {
    deviceos: '',
    devicemodel: '',
    devicecarrier: '',
    datanetworktype: '',
    signalstrength: '',
  };
  mergeDevice(t, ev);
  return t;
}

function mergeDevice(t: DeviceTags, ev: dme.ClientEdgeEvent): void {
  const s = ev.deviceInfoStatic;
  if (s?.deviceOs) t.deviceos = s.deviceOs;
  if (s?.deviceModel) t.devicemodel = s.deviceModel;
  const dy = ev.deviceInfoDynamic;
  if (dy?.carrierName) t.devicecarrier = dy.carrierName;
  if (dy?.dataNetworkType) t.datanetworktype = dy.dataNetworkType;
  if (dy && dy.signalStrength !== 0n) t.signalstrength = String(dy.signalStrength);
}
