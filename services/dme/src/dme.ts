import type * as http from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createRegistry } from '@bufbuild/protobuf';
import { silentLogger, type Logger } from '@edge/log';
import { NotifyClient, registryCodec, type NotifyClientOptions } from '@edge/notify';
import { allFiles, dme, googleApi, ObjectRegistry } from '@edge/proto';
import {
  addService,
  createJsonGateway,
  createServer,
  insecureServer,
  listen,
  type Listening,
  type ServerInterceptor,
} from '@edge/rpc';
import type * as grpc from '@grpc/grpc-js';
import type { SecretStore } from '@edge/secrets';
import { ApiStats } from './api/api-stats';
import { acceptEnumShortNames } from './api/enum-input';
import { matchEngineImpl } from './api/match-engine';
import { rateLimitInterceptor, type RateLimits } from './api/rate-limit';
import { Cookies } from './auth/cookies';
import { KeyRing } from './auth/key-ring';
import { EdgeEvents, LATENCY_REQUEST } from './edge-events';
import { AutoProvStats } from './match/autoprov-stats';
import { Selector } from './match/select';
import type { OperatorApi } from './operator/operator-api';
import { DME_WANTS, DmeTable } from './state/dme-table';

export { DME_WANTS, DmeTable } from './state/dme-table';
export { Selector, type Found } from './match/select';
export { KeyRing } from './auth/key-ring';
export { Cookies } from './auth/cookies';
export { createOperatorApi, type OperatorApi } from './operator';

/** What a DME is made of; everything optional has a development default. */
export interface DmeDeps {
  /** gRPC address (`host:port`, port 0 = any). */
  apiAddr: string;
  /** REST address; empty = no REST. */
  httpAddr: string;
  /** Controller notify addresses; empty = no notify (tests feed `table` directly). */
  notifyAddrs: readonly string[];
  /** Holds the cookie signing keys. */
  secrets: SecretStore;
  name?: string;
  cloudletOrg?: string;
  cloudlet?: string;
  cookieExpirationMs?: number;
  edgeEventsCookieExpirationMs?: number;
  keyReloadIntervalMs?: number;
  tokenServerUri?: string;
  /** Operator location / QoS APIs (`createOperatorApi`); default: the simulated default operator. */
  operator?: OperatorApi;
  rateLimits?: RateLimits;
  metricsIntervalMs?: number;
  /** Edge-events metrics interval; default Settings `edge_events_metrics_collection_interval`. */
  edgeEventsMetricsIntervalMs?: number;
  autoProvIntervalMs?: number;
  grpcCredentials?: grpc.ServerCredentials;
  /** Notify client options (backoff, credentials, …). */
  notify?: Partial<Omit<NotifyClientOptions, 'sink' | 'wants' | 'addresses' | 'name'>>;
  now?: () => number;
  random?: () => number;
  log?: Logger;
}

/** A running DME. */
export interface Dme {
  readonly table: DmeTable;
  readonly selector: Selector;
  readonly keys: KeyRing;
  readonly notify: NotifyClient | undefined;
  readonly edgeEvents: EdgeEvents;
  /** Bound addresses, after `start()`. */
  readonly apiAddress: string;
  readonly httpAddress: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires the DME: replicated table, selection, cookies, gRPC and REST servers, notify client. */
export function createDme(d: DmeDeps): Dme {
  const log = (d.log ?? silentLogger()).child({ component: 'dme' });
  const name = d.name ?? 'dme';
  const table = new DmeTable();
  let notify: NotifyClient | undefined;
  const up = (type: string) => (m: Parameters<NotifyClient['message']>[1]) => notify?.message(type, m);
  const autoProv = new AutoProvStats(name, up('edgeproto.AutoProvCounts'), d.now);
  const selector = new Selector(table, { autoProv, ...(d.random ? { random: d.random } : {}) });
  const stats = new ApiStats(
    { cloudletOrg: d.cloudletOrg ?? '', cloudlet: d.cloudlet ?? '', dmeId: name },
    up('edgeproto.Metric'),
    d.now,
  );
  const edgeEvents = new EdgeEvents({
    table,
    selector,
    sendMetric: up('edgeproto.Metric'),
    self: { cloudletOrg: d.cloudletOrg ?? '', cloudlet: d.cloudlet ?? '' },
    log,
    ...(d.edgeEventsMetricsIntervalMs ? { metricsIntervalMs: d.edgeEventsMetricsIntervalMs } : {}),
    ...(d.now ? { now: d.now } : {}),
  });
  if (d.notifyAddrs.length > 0) {
    const reg = new ObjectRegistry(allFiles);
    notify = new NotifyClient({
      ...registryCodec(reg, createRegistry(...allFiles)),
      addresses: d.notifyAddrs,
      name,
      wants: DME_WANTS,
      messageTypes: [LATENCY_REQUEST],
      sink: edgeEvents.sink,
      log,
      ...d.notify,
    });
  }
  let keys: KeyRing | undefined;
  let grpcListening: Listening | undefined;
  let httpServer: http.Server | undefined;
  let apiAddress = '';
  let httpAddress = '';
  const timers: NodeJS.Timeout[] = [];

  return {
    table,
    selector,
    get keys() {
      if (!keys) throw new Error('DME not started');
      return keys;
    },
    notify,
    edgeEvents,
    get apiAddress() {
      return apiAddress;
    },
    get httpAddress() {
      return httpAddress;
    },
    async start() {
      keys = await KeyRing.open(d.secrets);
      const cookies = new Cookies(keys, {
        sessionMs: d.cookieExpirationMs ?? 24 * 3600_000,
        edgeEventsMs: d.edgeEventsCookieExpirationMs ?? 10 * 60_000,
        ...(d.now ? { now: d.now } : {}),
      });
      const impl = matchEngineImpl({
        table,
        selector,
        cookies,
        stats,
        edgeEvents,
        ...(d.tokenServerUri ? { tokenServerUri: d.tokenServerUri } : {}),
        ...(d.operator ? { operator: d.operator } : {}),
        ...(d.now ? { now: d.now } : {}),
      });
      const interceptors: ServerInterceptor[] = [];
      if (d.rateLimits && (d.rateLimits.perApi > 0 || d.rateLimits.perIp > 0))
        interceptors.push(rateLimitInterceptor(d.rateLimits, d.now));
      const serve = { log, logCalls: false, interceptors };
      const server = createServer();
      addService(server, dme.MatchEngineApi, impl, serve);
      grpcListening = await listen(server, d.apiAddr, d.grpcCredentials ?? insecureServer());
      apiAddress = `${d.apiAddr.slice(0, d.apiAddr.lastIndexOf(':'))}:${grpcListening.port}`;
      if (d.httpAddr) {
        const handler = createJsonGateway(dme.MatchEngineApi, impl, {
          ...serve,
          httpRule: googleApi.http,
          transformInput: acceptEnumShortNames,
        });
        const srv = createHttpServer(handler);
        httpServer = srv;
        const i = d.httpAddr.lastIndexOf(':');
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen(Number(d.httpAddr.slice(i + 1)), d.httpAddr.slice(0, i), () => resolve());
        });
        const a = srv.address();
        httpAddress = typeof a === 'object' && a ? `${d.httpAddr.slice(0, i)}:${a.port}` : d.httpAddr;
      }
      const every = (ms: number, fn: () => unknown): void => {
        const t = setInterval(fn, ms);
        t.unref();
        timers.push(t);
      };
      every(d.metricsIntervalMs ?? 60_000, () => stats.flush());
      every(d.autoProvIntervalMs ?? 60_000, () => autoProv.flush());
      const ring = keys;
      every(d.keyReloadIntervalMs ?? 60_000, () =>
        ring.reload().catch((err: unknown) => log.warn({ err }, 'reloading signing keys failed')),
      );
      edgeEvents.start();
      notify?.start();
      log.info({ apiAddress, httpAddress }, 'DME serving');
    },
    async stop() {
      for (const t of timers.splice(0)) clearInterval(t);
      edgeEvents.stop();
      await notify?.stop();
      if (httpServer) {
        const s = httpServer;
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
      await grpcListening?.close(1000);
    },
  };
}
