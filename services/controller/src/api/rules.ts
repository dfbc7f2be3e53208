import type { Logger } from '@edge/log';
import type { ObjectRegistry } from '@edge/proto';
import type { KVStore, RegionCache } from '@edge/store';
import type { ObjectApi, ObjectRules } from '../crud/object-api';
import type { CacheView, Clock, ObjectStorePort } from '../crud/ports';
import type { RpcHandler } from '../grpc/services';
import { placementHandlers, placementRules } from '../placement';
import { stateHandlers } from '../state';
import type { TrackedOps } from '../state/tracked-ops';
import { cloudletPoolHandlers, cloudletPoolRules } from './cloudletpool-api';
import { extraHandlers } from './extra-handlers';
import { flavorHandlers, flavorRules } from './flavor-api';
import { settingsHandlers } from './settings-api';

/** Everything an object API file may need. */
export interface ApiDeps {
  reg: ObjectRegistry;
  region: string;
  kv: KVStore;
  store: ObjectStorePort;
  cache: CacheView;
  regionCache: RegionCache;
  log: Logger;
  now: Clock;
  /** The generic API of an object type (available once all are built). */
  api(name: string): ObjectApi;
  /** The TrackedState machine (late-bound: rules may call it, it calls the rules). */
  tracked(): TrackedOps;
}

/** Object-specific rules by object type name; types not listed get the generic behaviour. */
export function objectRules(deps: ApiDeps): Record<string, ObjectRules> {
  return {
    Flavor: flavorRules as ObjectRules,
    CloudletPool: cloudletPoolRules(deps.reg) as ObjectRules,
    ...placementRules(deps),
  };
}

/** Hand-written RPC handlers by RPC name; they replace the generic ones. */
export function rpcHandlers(deps: ApiDeps): Record<string, RpcHandler> {
  return {
    ...flavorHandlers(deps.api('Flavor') as never, deps.store),
    ...cloudletPoolHandlers(deps.reg, deps.store),
    ...settingsHandlers(deps.reg.get('Settings'), deps.store, deps.cache),
    ...placementHandlers(deps),
    ...stateHandlers(deps),
    ...extraHandlers(deps),
  };
}
