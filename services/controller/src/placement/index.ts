import type { ApiDeps } from '../api/rules';
import type { ObjectRules } from '../crud/object-api';
import type { RpcHandler } from '../grpc/services';

/** App, ClusterInst and AppInst rules: validation, placement, refs records. By object type name. */
export function placementRules(_deps: ApiDeps): Record<string, ObjectRules> {
  return {};
}

/** Placement-related RPCs (FindFlavorMatch, Add/RemoveAppAutoProvPolicy, …). By RPC name. */
export function placementHandlers(_deps: ApiDeps): Record<string, RpcHandler> {
  return {};
}
