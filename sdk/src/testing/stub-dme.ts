// Test fixture: an in-process DME serving canned replies over gRPC and its JSON gateway.
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { Code, EdgeError, invalidArgument, notFound, unauthenticated } from '@edge/errors';
import { silentLogger } from '@edge/log';
import {
  addService,
  createJsonGateway,
  createServer,
  insecureServer,
  listen,
  type Listening,
  type ServiceImpl,
} from '@edge/rpc';
import { PushQueue } from '../edge-events/push-queue';
import { dme, googleApi } from '../proto';

type Api = typeof dme.MatchEngineApi;
type ServerEventInit = MessageInitShape<typeof dme.ServerEdgeEventSchema>;

/** The canned world of the stub. */
export const STUB_APP = { org: 'devorg', app: 'game', version: '1.0' };
export const EDGE_COOKIE_A = 'edge-cookie-A';
export const EDGE_COOKIE_B = 'edge-cookie-B';

/** The instance FindCloudlet answers with (cloudlet A). */
export function foundA(): MessageInitShape<typeof dme.FindCloudletReplySchema> {
  return {
    status: dme.FindCloudletReply_FindStatus.FIND_FOUND,
    fqdn: 'game.cloudlet-a.example.net',
    ports: [{ proto: dme.LProto.TCP, internalPort: 7777, publicPort: 17777, fqdnPrefix: 'tcp.' }],
    cloudletLocation: { latitude: 52.5, longitude: 13.4 },
    edgeEventsCookie: EDGE_COOKIE_A,
  };
}

/** The better instance edge events announce (cloudlet B). */
export function foundB(): MessageInitShape<typeof dme.FindCloudletReplySchema> {
  return {
    status: dme.FindCloudletReply_FindStatus.FIND_FOUND,
    fqdn: 'game.cloudlet-b.example.net',
    ports: [{ proto: dme.LProto.TCP, internalPort: 7777, publicPort: 27777 }],
    cloudletLocation: { latitude: 48.1, longitude: 11.6 },
    edgeEventsCookie: EDGE_COOKIE_B,
  };
}

/** One StreamEdgeEvent call as the stub saw it, with controls to push and drop. */
export interface StubStream {
  received: dme.ClientEdgeEvent[];
  push(event: ServerEventInit): void;
  /** Ends the stream with `error` (default UNAVAILABLE), as a restarting DME would. */
  drop(error?: EdgeError): void;
  ended: boolean;
}

/** The stub and its knobs. */
export interface StubDme {
  grpcAddress: string;
  restUrl: string;
  /** Calls per method (local name), in order, with the request. */
  calls: { method: string; request: unknown }[];
  /** Edge-events streams in the order they were opened. */
  streams: StubStream[];
  /** Makes every cookie issued so far invalid (`invalid or expired cookie`). */
  expireCookies(): void;
  /** Refuses every cookie, even fresh ones, while set. */
  refuseCookies: boolean;
  /** Makes RegisterClient fail with this error until cleared. */
  failRegister: EdgeError | undefined;
  /** What FindCloudlet answers; default `foundA()`. */
  found: MessageInitShape<typeof dme.FindCloudletReplySchema>;
  /** Reply to EVENT_LOCATION_UPDATE: a better instance, or nothing. */
  betterOnLocationUpdate: MessageInitShape<typeof dme.FindCloudletReplySchema> | undefined;
  close(): Promise<void>;
}

/** Starts a stub DME on free ports (gRPC and REST). */
export async function startStubDme(): Promise<StubDme> {
  let issued = 0;
  const valid = new Set<string>();
  const stub: StubDme = {
    grpcAddress: '',
    restUrl: '',
    calls: [],
    streams: [],
    expireCookies: () => valid.clear(),
    refuseCookies: false,
    failRegister: undefined,
    found: foundA(),
    betterOnLocationUpdate: undefined,
    close: async () => {},
  };
  const checkCookie = (cookie: string): void => {
    if (stub.refuseCookies || !valid.has(cookie)) throw unauthenticated('invalid or expired cookie');
  };
  const record = (method: string, request: unknown): void => {
    stub.calls.push({ method, request });
  };

  const impl: Record<string, unknown> = {};
  for (const m of dme.MatchEngineApi.methods) {
    impl[m.localName] = () => {
      throw new EdgeError(Code.UNIMPLEMENTED, `${m.name} not implemented`);
    };
  }
  Object.assign(impl, {
    registerClient: async (req: dme.RegisterClientRequest) => {
      record('registerClient', req);
      if (stub.failRegister) throw stub.failRegister;
      if (!req.orgName) throw invalidArgument('OrgName cannot be empty');
      if (req.appName !== STUB_APP.app) throw notFound('app not found');
      const cookie = `session-${++issued}`;
      valid.add(cookie);
      return {
        status: dme.ReplyStatus.RS_SUCCESS,
        sessionCookie: cookie,
        uniqueIdType: req.uniqueIdType || 'dme-ksuid',
        uniqueId: req.uniqueId || '2ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      };
    },
    findCloudlet: async (req: dme.FindCloudletRequest) => {
      record('findCloudlet', req);
      checkCookie(req.sessionCookie);
      if (req.carrierName === 'nowhere') return { status: dme.FindCloudletReply_FindStatus.FIND_NOTFOUND };
      return stub.found;
    },
    getAppInstList: async (req: dme.AppInstListRequest) => {
      record('getAppInstList', req);
      checkCookie(req.sessionCookie);
      if (!req.gpsLocation) throw invalidArgument('Missing GPS location');
      const a = foundA();
      return {
        status: dme.AppInstListReply_AIStatus.AI_SUCCESS,
        cloudlets: [
          {
            carrierName: 'tmus',
            cloudletName: 'cloudlet-a',
            gpsLocation: a.cloudletLocation,
            distance: 1.5,
            appinstances: [
              { appName: STUB_APP.app, appVers: '1.0', fqdn: a.fqdn, ports: a.ports, orgName: STUB_APP.org },
            ],
          },
        ].slice(0, req.limit || 1),
      };
    },
    verifyLocation: async (req: dme.VerifyLocationRequest) => {
      record('verifyLocation', req);
      checkCookie(req.sessionCookie);
      return {
        gpsLocationStatus: dme.VerifyLocationReply_GPSLocationStatus.LOC_VERIFIED,
        gpsLocationAccuracyKm: 2,
      };
    },
    getFqdnList: async (req: dme.FqdnListRequest) => {
      record('getFqdnList', req);
      checkCookie(req.sessionCookie);
      return {
        status: dme.FqdnListReply_FLStatus.FL_SUCCESS,
        appFqdns: [
          { appName: STUB_APP.app, appVers: '1.0', orgName: STUB_APP.org, fqdns: ['game.example.net'] },
        ],
      };
    },
    getAppOfficialFqdn: async (req: dme.AppOfficialFqdnRequest) => {
      record('getAppOfficialFqdn', req);
      checkCookie(req.sessionCookie);
      return {
        status: dme.AppOfficialFqdnReply_AOFStatus.AOF_SUCCESS,
        appOfficialFqdn: 'game.example.net',
        clientToken: 'client-token',
      };
    },
    streamEdgeEvent: (reqs: AsyncIterable<dme.ClientEdgeEvent>) => edgeStream(reqs),
  });

  function edgeStream(reqs: AsyncIterable<dme.ClientEdgeEvent>): AsyncIterable<ServerEventInit> {
    const out = new PushQueue<ServerEventInit | EdgeError>();
    const s: StubStream = {
      received: [],
      push: (e) => out.push(e),
      drop: (err) => {
        out.push(err ?? new EdgeError(Code.UNAVAILABLE, 'dme restarting'));
        out.end();
      },
      ended: false,
    };
    stub.streams.push(s);
    const Client = dme.ClientEdgeEvent_ClientEventType;
    const Server = dme.ServerEdgeEvent_ServerEventType;
    void (async () => {
      try {
        for await (const ev of reqs) {
          s.received.push(ev);
          if (s.received.length === 1) {
            if (ev.eventType !== Client.EVENT_INIT_CONNECTION) {
              s.drop(invalidArgument('First message should have event type EVENT_INIT_CONNECTION'));
            } else if (!valid.has(ev.sessionCookie) || !ev.edgeEventsCookie.startsWith('edge-cookie-')) {
              s.drop(unauthenticated('invalid or expired cookie'));
            } else {
              s.push({ eventType: Server.EVENT_INIT_CONNECTION });
            }
            continue;
          }
          switch (ev.eventType) {
            case Client.EVENT_TERMINATE_CONNECTION:
              out.end();
              return;
            case Client.EVENT_LATENCY_SAMPLES: {
              const v = ev.samples.map((x) => x.value);
              s.push({
                eventType: Server.EVENT_LATENCY_PROCESSED,
                statistics: {
                  avg: v.reduce((a, b) => a + b, 0) / (v.length || 1),
                  min: Math.min(...v),
                  max: Math.max(...v),
                  numSamples: BigInt(v.length),
                },
              });
              break;
            }
            case Client.EVENT_LOCATION_UPDATE:
              if (stub.betterOnLocationUpdate) {
                s.push({ eventType: Server.EVENT_CLOUDLET_UPDATE, newCloudlet: stub.betterOnLocationUpdate });
              }
              break;
            default:
              break;
          }
        }
      } catch {
        // the call was cancelled; nothing more to read
      }
      out.end();
    })();
    return (async function* () {
      try {
        for await (const item of out) {
          if (item instanceof EdgeError) throw item;
          yield item;
        }
      } finally {
        s.ended = true;
      }
    })();
  }

  const service = impl as ServiceImpl<Api>;
  const server = createServer();
  addService(server, dme.MatchEngineApi, service, { log: silentLogger() });
  const grpc: Listening = await listen(server, '127.0.0.1:0', insecureServer());
  const handler = createJsonGateway(dme.MatchEngineApi, service, {
    httpRule: googleApi.http,
    log: silentLogger(),
  });
  const http: Server = createHttpServer((req, res) => handler(req, res));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  stub.grpcAddress = `127.0.0.1:${grpc.port}`;
  stub.restUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  stub.close = async () => {
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    await grpc.close(1000);
  };
  return stub;
}

/** A FindCloudlet reply message of an init shape. */
export function reply(init: MessageInitShape<typeof dme.FindCloudletReplySchema>): dme.FindCloudletReply {
  return create(dme.FindCloudletReplySchema, init);
}
