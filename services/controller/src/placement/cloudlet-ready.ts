import { Code, EdgeError, failedPrecondition } from '@edge/errors';
import { dme, edgeproto } from '@edge/proto';
import { beingDeletedError, notFoundError } from '../crud/errors';
import { holder, txGet, type CloudletReadyCheck, type PlacementTypes } from './context';
import { enumName, goText } from './names';

const TS = edgeproto.TrackedState;

/**
 * The original's checkCloudletReady over the store: the cloudlet must exist, not be
 * upgrading, under maintenance or in failed upgrade, and its CloudletInfo must be READY.
 * Used unless the state machine's gate is injected.
 */
export function defaultCloudletReadyCheck(t: PlacementTypes): CloudletReadyCheck {
  return async (tx, key, action) => {
    const cloudlet = await txGet<edgeproto.Cloudlet>(tx, t.Cloudlet, key);
    if (!cloudlet) throw notFoundError(t.Cloudlet, holder(t.Cloudlet, key));
    if (action === 'delete' && (cloudlet.deletePrepare || cloudlet.state === TS.DELETE_PREPARE))
      throw beingDeletedError(t.Cloudlet, cloudlet);
    const text = goText(edgeproto.CloudletKeySchema, key);
    if (cloudlet.state === TS.UPDATE_REQUESTED || cloudlet.state === TS.UPDATING)
      throw failedPrecondition(`Cloudlet ${text} is upgrading`);
    if (cloudlet.maintenanceState !== dme.MaintenanceState.NORMAL_OPERATION)
      throw failedPrecondition('Cloudlet under maintenance, please try again later');
    if (cloudlet.state === TS.UPDATE_ERROR)
      throw failedPrecondition(`Cloudlet ${text} is in failed upgrade state, please upgrade it manually`);
    const info = await txGet<edgeproto.CloudletInfo>(tx, t.CloudletInfo, key);
    if (!info)
      throw new EdgeError(
        Code.NOT_FOUND,
        `CloudletInfo not found for Cloudlet ${t.Cloudlet.keyJson(cloudlet)}`,
      );
    if (info.state === dme.CloudletState.READY) return;
    throw failedPrecondition(
      `Cloudlet ${text} not ready, state is ${enumName(dme.CloudletStateSchema, info.state)}`,
    );
  };
}

/** IGNORE_CRM overrides skip the readiness gate, as in the original. */
export function ignoresCrm(o: edgeproto.CRMOverride): boolean {
  return o === edgeproto.CRMOverride.IGNORE_CRM || o === edgeproto.CRMOverride.IGNORE_CRM_AND_TRANSIENT_STATE;
}
