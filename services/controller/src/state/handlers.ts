import type { Message } from '@bufbuild/protobuf';
import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { cloudletAccessHandlers } from '../api/cloudlet-api';
import { cloudletInfoHandlers } from '../api/cloudletinfo-api';
import type { RpcHandler } from '../grpc/services';
import { refreshAppInst } from './appinst-refresh';
import { createCloudlet, deleteCloudlet, updateCloudlet } from './cloudlet-ops';
import { createInst } from './inst-create';
import { deleteInst } from './inst-delete';
import { APP_INST, CLUSTER_INST } from './inst-kind';
import { updateInst } from './inst-update';
import type { StateDeps } from './state-deps';
import { streamObject } from './stream-obj';

/** A server-streaming handler yielding each message as a Result. */
function streaming<T extends Message>(run: (req: T) => AsyncIterable<string>): RpcHandler {
  return async function* (req: T) {
    for await (const message of run(req)) yield create(edgeproto.ResultSchema, { message });
  };
}

/** The TrackedState machine's RPC handlers, by RPC name. */
export function trackedHandlers(deps: StateDeps): Record<string, RpcHandler> {
  return {
    CreateAppInst: streaming((r: edgeproto.AppInst) => createInst(deps, APP_INST, r)),
    DeleteAppInst: streaming((r: edgeproto.AppInst) => deleteInst(deps, APP_INST, r)),
    UpdateAppInst: streaming((r: edgeproto.AppInst) => updateInst(deps, APP_INST, r)),
    RefreshAppInst: streaming((r: edgeproto.AppInst) => refreshAppInst(deps, r)),
    CreateClusterInst: streaming((r: edgeproto.ClusterInst) => createInst(deps, CLUSTER_INST, r)),
    DeleteClusterInst: streaming((r: edgeproto.ClusterInst) => deleteInst(deps, CLUSTER_INST, r)),
    UpdateClusterInst: streaming((r: edgeproto.ClusterInst) => updateInst(deps, CLUSTER_INST, r)),
    CreateCloudlet: streaming((r: edgeproto.Cloudlet) => createCloudlet(deps, r)),
    DeleteCloudlet: streaming((r: edgeproto.Cloudlet) => deleteCloudlet(deps, r)),
    UpdateCloudlet: streaming((r: edgeproto.Cloudlet) => updateCloudlet(deps, r)),
    StreamAppInst: (k: edgeproto.AppInstKey) => streamObject(deps, 'AppInst', k),
    StreamClusterInst: (k: edgeproto.ClusterInstKey) => streamObject(deps, 'ClusterInst', k),
    StreamCloudlet: (k: edgeproto.CloudletKey) => streamObject(deps, 'Cloudlet', k),
    ...cloudletAccessHandlers(deps),
    ...cloudletInfoHandlers(deps),
  };
}
