import type { ApiDeps } from '../api/rules';
import { appHandlers, appRules } from '../api/app-api';
import { appInstRules } from '../api/appinst-api';
import { autoProvPolicyHandlers, autoProvPolicyRules } from '../api/autoprovpolicy-api';
import { clusterInstHandlers, clusterInstRules } from '../api/clusterinst-api';
import { resTagTableHandlers, resTagTableRules } from '../api/restagtable-api';
import type { ObjectRules } from '../crud/object-api';
import type { RpcHandler } from '../grpc/services';
import { cloudletReadyCheck } from '../state/cloudlet-ready';
import {
  DEFAULT_APP_DNS_ROOT,
  placementTypes,
  type PlacementContext,
  type PlacementOptions,
} from './context';
import { flavorMatchHandlers } from './flavor-match';
import { cloudletsForAppHandlers } from './cloudlets-for-app';

export type { CloudletReadyCheck, PlacementOptions } from './context';

/** The shared context of the placement rules and handlers. */
export function placementContext(deps: ApiDeps, opts: PlacementOptions = {}): PlacementContext {
  const t = placementTypes(deps);
  return {
    deps,
    t,
    checkCloudletReady: cloudletReadyCheck(deps),
    appDnsRoot: opts.appDnsRoot ?? DEFAULT_APP_DNS_ROOT,
  };
}

/** App, ClusterInst and AppInst rules: validation, placement, refs records. By object type name. */
export function placementRules(deps: ApiDeps, opts: PlacementOptions = {}): Record<string, ObjectRules> {
  const ctx = placementContext(deps, opts);
  return {
    App: appRules(ctx) as ObjectRules,
    ClusterInst: clusterInstRules(ctx) as ObjectRules,
    AppInst: appInstRules(ctx) as ObjectRules,
    AutoProvPolicy: autoProvPolicyRules(ctx) as ObjectRules,
    ResTagTable: resTagTableRules as ObjectRules,
  };
}

/** Placement-related RPCs (FindFlavorMatch, Add/RemoveAppAutoProvPolicy, …). By RPC name. */
export function placementHandlers(deps: ApiDeps, opts: PlacementOptions = {}): Record<string, RpcHandler> {
  const ctx = placementContext(deps, opts);
  return {
    ...appHandlers(ctx),
    ...clusterInstHandlers(ctx),
    ...autoProvPolicyHandlers(ctx),
    ...resTagTableHandlers(ctx),
    ...flavorMatchHandlers(ctx),
    ...cloudletsForAppHandlers(ctx),
  };
}
