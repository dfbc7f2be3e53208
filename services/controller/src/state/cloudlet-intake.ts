import { clone, create, equals } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { clearCloudletDown, fireCloudletDown } from './cloudlet-alerts';
import { recordReport } from './record-report';
import { syncResourceAlerts } from './resource-alerts';
import type { StateDeps } from './state-deps';
import { cloudletStateName } from './states';
import { applyState } from './state-txn';

const TS = edgeproto.TrackedState;
const CS = dme.CloudletState;

/** Cloudlet state for a CloudletInfo state (CloudletInfoApi.Update); undefined: leave it. */
function cloudletStateFor(
  info: dme.CloudletState,
  cur: edgeproto.TrackedState,
): edgeproto.TrackedState | undefined {
  switch (info) {
    case CS.INIT:
      return TS.CRM_INITOK;
    case CS.READY:
      return TS.READY;
    case CS.UPGRADE:
      return TS.UPDATING;
    case CS.ERRORS:
      if (cur === TS.UPDATE_REQUESTED || cur === TS.UPDATING) return TS.UPDATE_ERROR;
      if (cur === TS.CREATE_REQUESTED || cur === TS.CREATING) return TS.CREATE_ERROR;
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A CloudletInfo from a CRM (the original's `CloudletInfoApi.Update`), in ONE transaction:
 * stored; status messages and state to the Cloudlet's stream record; the Cloudlet's state
 * follows (INIT → CRM_INITOK, READY → READY with errors cleared, UPGRADE → UPDATING,
 * ERRORS → CREATE_ERROR / UPDATE_ERROR during a create / update, errors copied). Coming
 * back READY clears the cloudlet-down alerts and AppInst health; every READY report
 * re-judges the CloudletResourceUsage alerts.
 */
export async function applyCloudletInfo(deps: StateDeps, input: edgeproto.CloudletInfo): Promise<void> {
  const infoType = deps.reg.get('CloudletInfo');
  const cloudletType = deps.reg.get('Cloudlet');
  const info = clone(edgeproto.CloudletInfoSchema, input);
  info.fields = [];
  const keyJson = infoType.keyJson(info);
  const changedToOnline = await applyState(deps, async (tx) => {
    const stored = await tx.get<edgeproto.CloudletInfo>(infoType, info);
    if (!stored || !equals(edgeproto.CloudletInfoSchema, stored, info)) tx.put(infoType, info);
    await recordReport(tx, 'Cloudlet', keyJson, {
      msgs: info.status?.msgs ?? [],
      state: info.state,
      final: info.state === CS.READY || info.state === CS.ERRORS,
    });
    const cloudlet = await tx.get<edgeproto.Cloudlet>(
      cloudletType,
      create(edgeproto.CloudletSchema, { key: info.key }),
    );
    if (cloudlet) {
      const next = clone(edgeproto.CloudletSchema, cloudlet);
      const state = cloudletStateFor(info.state, cloudlet.state);
      if (state === undefined) {
        deps.log.info(
          { key: keyJson, state: cloudletStateName(info.state) },
          'Skip cloudletInfo state handling',
        );
      } else if (cloudlet.state !== state) {
        next.state = state;
        if (info.errors.length > 0) next.errors = [...info.errors];
        if (info.state === CS.READY) next.errors = [];
      }
      if (info.trustPolicyState !== TS.TRACKED_STATE_UNKNOWN) next.trustPolicyState = info.trustPolicyState;
      if (info.containerVersion !== '') next.containerVersion = info.containerVersion;
      if (!equals(edgeproto.CloudletSchema, cloudlet, next)) tx.put(cloudletType, next);
    }
    return stored !== undefined && info.state === CS.READY && stored.state !== CS.READY;
  });
  if (changedToOnline) await clearCloudletDown(deps, info.key);
  if (info.state === CS.READY) await syncResourceAlerts(deps, info.key);
}

/**
 * The CRM of a cloudlet disconnected (notify Flush): its CloudletInfo goes OFFLINE (only
 * the one from that connection when `notifyId` is given); if the Cloudlet was READY, the
 * CloudletDown / AppInstDown alerts fire and its AppInsts become CLOUDLET_OFFLINE. A
 * CloudletInfo whose Cloudlet is gone is removed instead.
 */
export async function cloudletDisconnected(
  deps: StateDeps,
  key: edgeproto.CloudletKey,
  opts: { notifyId?: bigint } = {},
): Promise<void> {
  const infoType = deps.reg.get('CloudletInfo');
  const cloudletType = deps.reg.get('Cloudlet');
  const holder = create(edgeproto.CloudletInfoSchema, { key });
  const fire = await applyState(deps, async (tx) => {
    const info = await tx.get<edgeproto.CloudletInfo>(infoType, holder);
    if (!info || (opts.notifyId !== undefined && info.notifyId !== opts.notifyId)) return false;
    const cloudlet = await tx.get<edgeproto.Cloudlet>(
      cloudletType,
      create(edgeproto.CloudletSchema, { key }),
    );
    if (!cloudlet) {
      tx.delete(infoType, holder);
      return false;
    }
    const next = clone(edgeproto.CloudletInfoSchema, info);
    next.state = CS.OFFLINE;
    tx.put(infoType, next);
    return cloudlet.state === TS.READY;
  });
  if (fire) await fireCloudletDown(deps, key);
}
