import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { RpcHandler } from '../grpc/services';
import { applyCloudletInfo } from '../state/cloudlet-intake';
import type { StateDeps } from '../state/state-deps';
import { applyState } from '../state/state-txn';

/**
 * InjectCloudletInfo (as if the CRM had sent it: the Cloudlet's state follows) and
 * EvictCloudletInfo (removes it). ShowCloudletInfo is the generic show.
 */
export function cloudletInfoHandlers(deps: StateDeps): Record<string, RpcHandler> {
  return {
    InjectCloudletInfo: async (req: edgeproto.CloudletInfo) => {
      await applyCloudletInfo(deps, req);
      return create(edgeproto.ResultSchema, {});
    },
    EvictCloudletInfo: async (req: edgeproto.CloudletInfo) => {
      const type = deps.reg.get('CloudletInfo');
      await applyState(deps, async (tx) => void tx.delete(type, req));
      return create(edgeproto.ResultSchema, {});
    },
  };
}
