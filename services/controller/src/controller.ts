import { hostname as osHostname } from 'node:os';
import type { DescService } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import type { ObjectRegistry, edgeproto } from '@edge/proto';
import { RegionCache, type KVStore } from '@edge/store';
import { objectRules, rpcHandlers, type ApiDeps } from './api/rules';
import { ObjectApi } from './crud/object-api';
import type { CacheView, Clock, ObjectStorePort } from './crud/ports';
import { storePorts } from './crud/store-ports';
import { buildServices, type RpcHandler } from './grpc/services';
import { createControllerInflux, OwnWrites, trackOwnWrites, type ControllerInflux } from './influx';
import type { InfluxWriterOptions } from './influx/influx-writer';
import { ControllerNotifySink, RegionReplicationSource } from './notify';
import { startRegistration, type BuildInfo, type Registration } from './registration';
import { crmIntake, trackedOps } from './state';
import { appInstHealthFromAlerts } from './state/appinst-health';
import type { TrackedOps } from './state/tracked-ops';

/** Services on their own address with their own auth (access-key), not on the main API. */
const SEPARATELY_SERVED = new Set(['CloudletAccessApi', 'CloudletAccessKeyApi']);

export interface ControllerDeps {
  reg: ObjectRegistry;
  kv: KVStore;
  region: string;
  log: Logger;
  now?: Clock;
  /** External API address: with it, the Controller registers itself (ShowController) under an etcd lease. */
  apiAddr?: string;
  /** Advertised in the Controller object; default the OS hostname. */
  hostname?: string;
  build?: BuildInfo;
  /** Controller lease TTL; default 10 s. */
  registrationTtlMs?: number;
  /** InfluxDB 1.x URL for lifecycle events and metrics; empty or absent = disabled. */
  influxAddr?: string;
  /** Influx writer tuning (tests). */
  influxWriter?: Omit<Partial<InfluxWriterOptions>, 'url' | 'log'>;
  /** Changes the notify change log keeps for resuming children; default 50,000. */
  notifyChangeLog?: number;
  /** Replaces the TrackedState machine (tests without a CRM). */
  trackedOps?: (deps: ApiDeps) => TrackedOps;
}

/** A regional Controller's state and API, independent of how it is served. */
export interface Controller {
  /** What the object API files and the state machine are built from. */
  readonly apiDeps: ApiDeps;
  readonly cache: RegionCache;
  readonly store: ObjectStorePort;
  readonly view: CacheView;
  readonly apis: ReadonlyMap<string, ObjectApi>;
  /** One implementation per edgeproto service, for `addService`. */
  readonly services: readonly { service: DescService; impl: Record<string, RpcHandler> }[];
  /** Events and metrics to InfluxDB; undefined when no `influxAddr` was given. */
  readonly influx: ControllerInflux | undefined;
  /**
   * The notify tree's Controller side: what is replicated down (the region cache with its
   * resumable change log; started with the Controller) and where children's info objects
   * and messages go. Serve them with `controllerNotifyServer`.
   */
  readonly notify: ControllerNotify;
  /** Queues a Metric message (from the notify tree) for InfluxDB; a no-op without InfluxDB. */
  recordMetric(metric: edgeproto.Metric): void;
  /** Lists and watches the region; resolves once the cache is in sync. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The Controller's notify source and sink. */
export interface ControllerNotify {
  readonly source: RegionReplicationSource;
  readonly sink: ControllerNotifySink;
}

/** Wires the Controller from its dependencies; nothing runs until `start()`. */
export function createController(deps: ControllerDeps): Controller {
  const { reg, region, log } = deps;
  const now = deps.now ?? (() => new Date());
  const stored = reg.all().filter((t) => t.stored);
  // With InfluxDB, writes are tracked so that only the Controller that made a change records its event.
  const own = deps.influxAddr ? new OwnWrites() : undefined;
  const kv = own ? trackOwnWrites(deps.kv, own) : deps.kv;
  const cache = new RegionCache({ store: kv, region, types: stored, log });
  const influx =
    own && deps.influxAddr
      ? createControllerInflux({
          url: deps.influxAddr,
          reg,
          cache,
          own,
          log,
          ...(deps.influxWriter ? { writer: deps.influxWriter } : {}),
        })
      : undefined;
  let registration: Registration | undefined;
  const { store, view } = storePorts(kv, cache, region, stored);
  const apis = new Map<string, ObjectApi>();
  let tracked: TrackedOps | undefined;
  const apiDeps: ApiDeps = {
    reg,
    region,
    kv,
    store,
    cache: view,
    regionCache: cache,
    log,
    now,
    api: (name) => {
      const a = apis.get(name);
      if (!a) throw new Error(`no API for object type ${name}`);
      return a;
    },
    tracked: () => (tracked ??= (deps.trackedOps ?? trackedOps)(apiDeps)),
  };
  const rules = objectRules(apiDeps);
  for (const t of stored) {
    if (!t.singleton) apis.set(t.name, new ObjectApi(t, { reg, store, cache: view, now }, rules[t.name]));
  }
  const notify: ControllerNotify = {
    source: new RegionReplicationSource({
      reg,
      cache,
      kv,
      region,
      log,
      ...(deps.notifyChangeLog ? { maxChanges: deps.notifyChangeLog } : {}),
    }),
    sink: new ControllerNotifySink({
      reg,
      intake: crmIntake(apiDeps),
      store,
      cache: view,
      controllerId: deps.apiAddr ?? deps.hostname ?? osHostname(),
      onMetric: (m) => influx?.recordMetric(m),
      onStoredInfo: appInstHealthFromAlerts(apiDeps),
      log,
    }),
  };
  const services = buildServices({ reg, apis, handlers: rpcHandlers(apiDeps) }).filter(
    (s) => !SEPARATELY_SERVED.has(s.service.name),
  );
  return {
    apiDeps,
    cache,
    store,
    view,
    apis,
    services,
    influx,
    notify,
    recordMetric: (m) => influx?.recordMetric(m),
    async start() {
      await cache.start();
      await notify.source.start();
      influx?.start();
      if (deps.apiAddr) {
        registration = await startRegistration({
          kv,
          cache,
          region,
          type: reg.get('Controller'),
          addr: deps.apiAddr,
          hostname: deps.hostname ?? osHostname(),
          log,
          ...(deps.build ? { build: deps.build } : {}),
          ...(deps.registrationTtlMs ? { ttlMs: deps.registrationTtlMs } : {}),
        });
      }
    },
    async stop() {
      await registration?.stop();
      registration = undefined;
      await influx?.stop();
      notify.source.stop();
      await cache.stop();
    },
  };
}
