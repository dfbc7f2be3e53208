import type { Message } from '@bufbuild/protobuf';
import type { edgeproto } from '@edge/proto';
import type { ApiDeps } from '../api/rules';
import type { RpcHandler } from '../grpc/services';
import { createCloudlet, deleteCloudlet, updateCloudlet } from './cloudlet-ops';
import { applyCloudletInfo, cloudletDisconnected } from './cloudlet-intake';
import { trackedHandlers } from './handlers';
import { createInst } from './inst-create';
import { deleteInst } from './inst-delete';
import { applyInstInfo } from './inst-intake';
import { APP_INST, CLUSTER_INST, type InstKind } from './inst-kind';
import { updateInst } from './inst-update';
import { forward } from './run-tracked';
import type { StateDeps } from './state-deps';
import type { TrackedOps } from './tracked-ops';

export { checkCloudletReady, cloudletReadyCheck, type CloudletAction } from './cloudlet-ready';
export { crmTransitionOk } from './states';
export type { StateDeps } from './state-deps';
export type { TrackedOps } from './tracked-ops';

/**
 * The TrackedState machine: streaming Create/Update/Delete of Cloudlet, ClusterInst
 * and AppInst, CRM info handling, stream re-attach. Handlers by RPC name.
 */
export function stateHandlers(deps: ApiDeps): Record<string, RpcHandler> {
  return trackedHandlers(deps);
}

function instKind(typeName: string): InstKind | undefined {
  return typeName === 'AppInst' ? APP_INST : typeName === 'ClusterInst' ? CLUSTER_INST : undefined;
}

/** The TrackedState machine's operations (see TrackedOps); progress goes to `op.send`. */
export function trackedOps(deps: StateDeps): TrackedOps {
  const run = (
    verb: 'create' | 'update' | 'delete',
    typeName: string,
    obj: Message,
  ): AsyncIterable<string> => {
    const kind = instKind(typeName);
    if (kind) {
      if (verb === 'create') return createInst(deps, kind, obj);
      if (verb === 'update') return updateInst(deps, kind, obj);
      return deleteInst(deps, kind, obj);
    }
    if (typeName !== 'Cloudlet') throw new Error(`${typeName} is not a tracked object type`);
    const c = obj as edgeproto.Cloudlet;
    if (verb === 'create') return createCloudlet(deps, c);
    if (verb === 'update') return updateCloudlet(deps, c);
    return deleteCloudlet(deps, c);
  };
  return {
    create: (typeName, obj, op) => forward(run('create', typeName, obj), op),
    update: (typeName, obj, op) => forward(run('update', typeName, obj), op),
    delete: (typeName, obj, op) => forward(run('delete', typeName, obj), op),
  };
}

/** Where CRM reports enter the Controller (called by the notify server). */
export interface CrmIntake {
  applyAppInstInfo(info: edgeproto.AppInstInfo): Promise<void>;
  applyClusterInstInfo(info: edgeproto.ClusterInstInfo): Promise<void>;
  applyCloudletInfo(info: edgeproto.CloudletInfo): Promise<void>;
  /** The CRM's notify connection ended; `notifyId` limits it to the info that connection sent. */
  cloudletDisconnected(key: edgeproto.CloudletKey, opts?: { notifyId?: bigint }): Promise<void>;
}

/**
 * The CRM info intake of a Controller. Each report is applied in one etcd transaction
 * together with the object's stream record, so the caller waiting on any Controller of
 * the region sees it.
 */
export function crmIntake(deps: StateDeps): CrmIntake {
  return {
    applyAppInstInfo: (info) => applyInstInfo(deps, APP_INST, info),
    applyClusterInstInfo: (info) => applyInstInfo(deps, CLUSTER_INST, info),
    applyCloudletInfo: (info) => applyCloudletInfo(deps, info),
    cloudletDisconnected: (key, opts) => cloudletDisconnected(deps, key, opts),
  };
}
