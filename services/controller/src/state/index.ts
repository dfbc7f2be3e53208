import type { ApiDeps } from '../api/rules';
import type { RpcHandler } from '../grpc/services';

/**
 * The TrackedState machine: streaming Create/Update/Delete of Cloudlet, ClusterInst
 * and AppInst, CRM info handling, stream re-attach. Handlers by RPC name.
 */
export function stateHandlers(_deps: ApiDeps): Record<string, RpcHandler> {
  return {};
}
