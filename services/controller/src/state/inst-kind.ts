import { clone, type Message } from '@bufbuild/protobuf';
import type { ObjectType } from '@edge/proto';
import { edgeproto } from '@edge/proto';
import type { StateDeps } from './state-deps';
import { trackedStateCamel } from './states';
import { applyState } from './state-txn';
import type { TimedOp } from './timeouts';
import type { WaitSpec } from './wait-state';

/** The fields of AppInst and ClusterInst the state machine works with. */
export interface TrackedInst extends Message {
  state: edgeproto.TrackedState;
  errors: string[];
  crmOverride: edgeproto.CRMOverride;
}

/** What differs between AppInst and ClusterInst operations (messages from the original). */
export interface InstKind {
  readonly typeName: 'AppInst' | 'ClusterInst';
  cloudletKeyOf(obj: Message): edgeproto.CloudletKey | undefined;
  readonly timeouts: { readonly create: TimedOp; readonly update: TimedOp; readonly delete: TimedOp };
  readonly msgs: {
    readonly created: string;
    /** With IGNORE_CRM the original AppInst says it was created, ClusterInst says nothing. */
    readonly saysWhenIgnoringCrm: boolean;
    readonly undoCreate: string;
    readonly deleted: string;
    readonly undoDelete: string;
    /** Final message of an update ('' for none). */
    readonly updated: string;
    /** Refusal of an update while the object is busy. */
    readonly busy: string;
  };
}

/** AppInst (controller/appinst_api.go). */
export const APP_INST: InstKind = {
  typeName: 'AppInst',
  cloudletKeyOf: (o) => (o as edgeproto.AppInst).key?.clusterInstKey?.cloudletKey,
  timeouts: {
    create: 'createAppInstTimeout',
    update: 'updateAppInstTimeout',
    delete: 'deleteAppInstTimeout',
  },
  msgs: {
    created: 'Created AppInst successfully',
    saysWhenIgnoringCrm: true,
    undoCreate: 'Deleting AppInst due to failure',
    deleted: 'Deleted AppInst successfully',
    undoDelete: 'Recreating AppInst due to failure',
    updated: '',
    busy: 'AppInst is not ready or update_error',
  },
};

/** ClusterInst (controller/clusterinst_api.go). */
export const CLUSTER_INST: InstKind = {
  typeName: 'ClusterInst',
  cloudletKeyOf: (o) => (o as edgeproto.ClusterInst).key?.cloudletKey,
  timeouts: {
    create: 'createClusterInstTimeout',
    update: 'updateClusterInstTimeout',
    delete: 'deleteClusterInstTimeout',
  },
  msgs: {
    created: 'Created ClusterInst successfully',
    saysWhenIgnoringCrm: false,
    undoCreate: 'DELETING ClusterInst due to failures',
    deleted: 'Deleted ClusterInst successfully',
    undoDelete: 'Recreating ClusterInst due to failure',
    updated: 'Updated ClusterInst successfully',
    busy: 'ClusterInst busy, cannot update',
  },
};

/** The wait of an AppInst/ClusterInst operation: its own state decides (a deleted object is NOT_PRESENT). */
export function instWait(
  kind: InstKind,
  keyJson: string,
  op: string,
  w: Pick<WaitSpec, 'target' | 'errorState' | 'transitions' | 'timeoutMs'>,
): WaitSpec {
  return {
    ...w,
    watchType: kind.typeName,
    recordType: kind.typeName,
    keyJson,
    op,
    requireReport: false,
    stateOf: (o) => (o ? (o as TrackedInst).state : edgeproto.TrackedState.NOT_PRESENT),
    errorsOf: (o) => (o ? (o as TrackedInst).errors : []),
    camel: trackedStateCamel,
    showCmd: `Show${kind.typeName}`,
  };
}

/** Removes the object now (with its rules' onDelete), as the original's undo / IGNORE_CRM delete. */
export async function removeNow(deps: StateDeps, type: ObjectType, holder: Message): Promise<void> {
  await applyState(deps, async (tx) => {
    const cur = await tx.get(type, holder);
    if (cur) await deps.api(type.name).remove(tx, cur);
  });
}

/**
 * The original's `ReplaceErrorState`: an object left in an *_ERROR state is set to
 * `next` (READY), or removed for NOT_PRESENT / DELETE_DONE. Other states are left alone.
 */
export async function replaceErrorState(
  deps: StateDeps,
  type: ObjectType,
  holder: Message,
  next: edgeproto.TrackedState,
): Promise<void> {
  const TS = edgeproto.TrackedState;
  await applyState(deps, async (tx) => {
    const cur = await tx.get<TrackedInst>(type, holder);
    if (!cur || ![TS.CREATE_ERROR, TS.UPDATE_ERROR, TS.DELETE_ERROR].includes(cur.state)) return;
    if (next === TS.NOT_PRESENT || next === TS.DELETE_DONE) {
      await deps.api(type.name).remove(tx, cur);
      return;
    }
    const upd = clone(type.schema, cur) as TrackedInst;
    upd.state = next;
    tx.put(type, upd);
  });
}
