import type { ObjectRegistry } from '@edge/proto';
import type { ObjectApi, ObjectRules } from '../crud/object-api';
import type { CacheView, ObjectStorePort } from '../crud/ports';
import type { RpcHandler } from '../grpc/services';
import { cloudletPoolHandlers, cloudletPoolRules } from './cloudletpool-api';
import { flavorHandlers, flavorRules } from './flavor-api';
import { settingsHandlers } from './settings-api';

/** Everything an object API file may need. */
export interface ApiDeps {
  reg: ObjectRegistry;
  store: ObjectStorePort;
  cache: CacheView;
}

/** Object-specific rules by object type name; types not listed get the generic behaviour. */
export function objectRules(deps: ApiDeps): Record<string, ObjectRules> {
  return {
    Flavor: flavorRules as ObjectRules,
    CloudletPool: cloudletPoolRules(deps.reg) as ObjectRules,
  };
}

/** Hand-written RPC handlers by RPC name; they replace the generic ones. */
export function rpcHandlers(deps: ApiDeps, apis: ReadonlyMap<string, ObjectApi>): Record<string, RpcHandler> {
  const api = (name: string): ObjectApi => {
    const a = apis.get(name);
    if (!a) throw new Error(`no API for ${name}`);
    return a;
  };
  return {
    ...flavorHandlers(api('Flavor') as never, deps.store),
    ...cloudletPoolHandlers(deps.reg, deps.store),
    ...settingsHandlers(deps.reg.get('Settings'), deps.store, deps.cache),
  };
}
