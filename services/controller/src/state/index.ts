import type { ApiDeps } from '../api/rules';
import type { RpcHandler } from '../grpc/services';
import type { TrackedOps } from './tracked-ops';

/**
 * The TrackedState machine: streaming Create/Update/Delete of Cloudlet, ClusterInst
 * and AppInst, CRM info handling, stream re-attach. Handlers by RPC name.
 */
export function stateHandlers(_deps: ApiDeps): Record<string, RpcHandler> {
  return {};
}

/** The TrackedState machine's operations (see TrackedOps). */
export function trackedOps(_deps: ApiDeps): TrackedOps {
  const notYet = async (): Promise<void> => {
    throw new Error('TrackedState machine not implemented yet');
  };
  return { create: notYet, update: notYet, delete: notYet };
}
