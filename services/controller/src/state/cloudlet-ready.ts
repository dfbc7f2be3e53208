import { create } from '@bufbuild/protobuf';
import { Code, EdgeError, failedPrecondition } from '@edge/errors';
import { dme, edgeproto } from '@edge/proto';
import { beingDeletedError, notFoundError } from '../crud/errors';
import { goText } from '../placement/names';
import type { ObjectTxn } from '../crud/ports';
import type { StateDeps } from './state-deps';
import { cloudletStateName } from './states';

const TS = edgeproto.TrackedState;

/** What the checked operation does, as the original's `cloudcommon.Action`. */
export type CloudletAction = 'create' | 'update' | 'delete';

/**
 * The original's `checkCloudletReady`: AppInst/ClusterInst work may only go to a cloudlet
 * whose CRM is up and that is not upgrading or under maintenance. Reads through `tx` when
 * given (so the check is part of the transaction), else from the cache. Callers skip it
 * with IGNORE_CRM.
 *
 * Errors, keys as the original prints them (`%v`: proto text, `%s` of GetKeyString: JSON):
 * `Cloudlet key {…} not found`, `Cloudlet {…} is being deleted` (delete), `Cloudlet
 * organization:"op" name:"c1"  is upgrading`, `Cloudlet under maintenance, please try
 * again later`, `Cloudlet organization:"op" name:"c1"  is in failed upgrade state, please
 * upgrade it manually`, `CloudletInfo not found for Cloudlet {"organization":"op",…}`,
 * `Cloudlet organization:"op" name:"c1"  not ready, state is CLOUDLET_STATE_OFFLINE`.
 */
export async function checkCloudletReady(
  deps: Pick<StateDeps, 'reg' | 'cache'>,
  cloudletKey: edgeproto.CloudletKey | undefined,
  tx?: ObjectTxn,
  action: CloudletAction = 'create',
): Promise<void> {
  const cloudletType = deps.reg.get('Cloudlet');
  const infoType = deps.reg.get('CloudletInfo');
  const holder = create(edgeproto.CloudletSchema, {
    key: cloudletKey ?? create(edgeproto.CloudletKeySchema),
  });
  const infoHolder = create(edgeproto.CloudletInfoSchema, { key: holder.key });
  const read = async <T extends edgeproto.Cloudlet | edgeproto.CloudletInfo>(
    t: typeof cloudletType,
    h: edgeproto.Cloudlet | edgeproto.CloudletInfo,
  ): Promise<T | undefined> => (tx ? await tx.get<T>(t, h) : deps.cache.get<T>(t, h));
  const key = cloudletType.keyJson(holder);
  const text = goText(edgeproto.CloudletKeySchema, holder.key);
  const cloudlet = await read<edgeproto.Cloudlet>(cloudletType, holder);
  if (!cloudlet) throw notFoundError(cloudletType, holder);
  if (action === 'delete' && (cloudlet.deletePrepare || cloudlet.state === TS.DELETE_PREPARE))
    throw beingDeletedError(cloudletType, holder);
  if (cloudlet.state === TS.UPDATE_REQUESTED || cloudlet.state === TS.UPDATING)
    throw failedPrecondition(`Cloudlet ${text} is upgrading`);
  if (cloudlet.maintenanceState !== dme.MaintenanceState.NORMAL_OPERATION)
    throw failedPrecondition('Cloudlet under maintenance, please try again later');
  if (cloudlet.state === TS.UPDATE_ERROR)
    throw failedPrecondition(`Cloudlet ${text} is in failed upgrade state, please upgrade it manually`);
  const info = await read<edgeproto.CloudletInfo>(infoType, infoHolder);
  if (!info) throw new EdgeError(Code.NOT_FOUND, `CloudletInfo not found for Cloudlet ${key}`);
  if (info.state === dme.CloudletState.READY) return;
  throw failedPrecondition(`Cloudlet ${text} not ready, state is ${cloudletStateName(info.state)}`);
}

/**
 * The gate in the shape placement's `CloudletReadyCheck` takes (`PlacementOptions.checkCloudletReady`).
 */
export function cloudletReadyCheck(
  deps: Pick<StateDeps, 'reg' | 'cache'>,
): (tx: ObjectTxn, key: edgeproto.CloudletKey, action: CloudletAction) => Promise<void> {
  return (tx, key, action) => checkCloudletReady(deps, key, tx, action);
}
