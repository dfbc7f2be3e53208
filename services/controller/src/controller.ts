import type { DescService } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import type { ObjectRegistry } from '@edge/proto';
import { RegionCache, type KVStore } from '@edge/store';
import { objectRules, rpcHandlers, type ApiDeps } from './api/rules';
import { ObjectApi } from './crud/object-api';
import type { CacheView, Clock, ObjectStorePort } from './crud/ports';
import { storePorts } from './crud/store-ports';
import { buildServices, type RpcHandler } from './grpc/services';
import { trackedOps } from './state';
import type { TrackedOps } from './state/tracked-ops';

/** Services on their own address with their own auth (access-key), not on the main API. */
const SEPARATELY_SERVED = new Set(['CloudletAccessApi', 'CloudletAccessKeyApi']);

export interface ControllerDeps {
  reg: ObjectRegistry;
  kv: KVStore;
  region: string;
  log: Logger;
  now?: Clock;
}

/** A regional Controller's state and API, independent of how it is served. */
export interface Controller {
  readonly cache: RegionCache;
  readonly store: ObjectStorePort;
  readonly view: CacheView;
  readonly apis: ReadonlyMap<string, ObjectApi>;
  /** One implementation per edgeproto service, for `addService`. */
  readonly services: readonly { service: DescService; impl: Record<string, RpcHandler> }[];
  /** Lists and watches the region; resolves once the cache is in sync. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires the Controller from its dependencies; nothing runs until `start()`. */
export function createController(deps: ControllerDeps): Controller {
  const { reg, kv, region, log } = deps;
  const now = deps.now ?? (() => new Date());
  const stored = reg.all().filter((t) => t.stored);
  const cache = new RegionCache({ store: kv, region, types: stored, log });
  const { store, view } = storePorts(kv, cache, region);
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
    tracked: () => (tracked ??= trackedOps(apiDeps)),
  };
  const rules = objectRules(apiDeps);
  for (const t of stored) {
    if (!t.singleton) apis.set(t.name, new ObjectApi(t, { reg, store, cache: view, now }, rules[t.name]));
  }
  const services = buildServices({ reg, apis, handlers: rpcHandlers(apiDeps) }).filter(
    (s) => !SEPARATELY_SERVED.has(s.service.name),
  );
  return {
    cache,
    store,
    view,
    apis,
    services,
    start: () => cache.start(),
    stop: () => cache.stop(),
  };
}
