import { dme, edgeproto } from '@edge/proto';

const { TrackedState: TS, CRMOverride } = edgeproto;

/** `CREATE_REQUESTED` → `CreateRequested`, `CLOUDLET_STATE_READY` → `CloudletStateReady` (the original's CamelName). */
function camel(protoName: string): string {
  return protoName
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** The proto name of a TrackedState, e.g. `CREATE_REQUESTED`. */
export function trackedStateName(s: edgeproto.TrackedState): string {
  return edgeproto.TrackedStateSchema.values.find((v) => v.number === s)?.name ?? String(s);
}

/** The original's `TrackedState_CamelName`, e.g. `CreateRequested`, `TrackedStateUnknown`. */
export function trackedStateCamel(s: edgeproto.TrackedState): string {
  return camel(trackedStateName(s));
}

/** The proto name of a CloudletState, e.g. `CLOUDLET_STATE_OFFLINE`. */
export function cloudletStateName(s: dme.CloudletState): string {
  return dme.CloudletStateSchema.values.find((v) => v.number === s)?.name ?? String(s);
}

/** The original's `CloudletState_CamelName`, e.g. `CloudletStateReady`. */
export function cloudletStateCamel(s: dme.CloudletState): string {
  return camel(cloudletStateName(s));
}

/** The original's `HealthCheck_CamelName`, e.g. `HealthCheckCloudletOffline`. */
export function healthCheckCamel(h: dme.HealthCheck): string {
  return camel(dme.HealthCheckSchema.values.find((v) => v.number === h)?.name ?? String(h));
}

/** CRM transitions allowed from each state (controller/crm_state.md, `crmTransitionOk`). */
const CRM_NEXT: ReadonlyMap<edgeproto.TrackedState, readonly edgeproto.TrackedState[]> = new Map([
  [TS.CREATE_REQUESTED, [TS.CREATING, TS.READY, TS.CREATE_ERROR]],
  [TS.CREATING, [TS.READY, TS.CREATE_ERROR]],
  [TS.UPDATE_REQUESTED, [TS.UPDATING, TS.READY, TS.UPDATE_ERROR]],
  [TS.UPDATING, [TS.READY, TS.UPDATE_ERROR]],
  [TS.DELETE_REQUESTED, [TS.DELETING, TS.NOT_PRESENT, TS.DELETE_ERROR, TS.DELETE_DONE]],
  [TS.DELETING, [TS.NOT_PRESENT, TS.DELETE_ERROR, TS.DELETE_DONE]],
]);

/** Whether the CRM may move an object from `cur` to `next`; anything else is ignored. */
export function crmTransitionOk(cur: edgeproto.TrackedState, next: edgeproto.TrackedState): boolean {
  return CRM_NEXT.get(cur)?.includes(next) ?? false;
}

/** States in which work is under way (the original's `IsTransientState`). */
export function isTransientState(s: edgeproto.TrackedState): boolean {
  return [
    TS.CREATING,
    TS.CREATING_DEPENDENCIES,
    TS.CREATE_REQUESTED,
    TS.UPDATE_REQUESTED,
    TS.DELETE_REQUESTED,
    TS.UPDATING,
    TS.DELETING,
    TS.DELETE_PREPARE,
  ].includes(s);
}

/** States of a delete under way (the original's `IsDeleteState`). */
export function isDeleteState(s: edgeproto.TrackedState): boolean {
  return [TS.DELETE_REQUESTED, TS.DELETING, TS.DELETE_PREPARE, TS.DELETE_DONE].includes(s);
}

/** The CRM is not involved: objects go straight to READY / are removed at once. */
export function ignoresCrm(o: edgeproto.CRMOverride): boolean {
  return o === CRMOverride.IGNORE_CRM || o === CRMOverride.IGNORE_CRM_AND_TRANSIENT_STATE;
}

/** Transient states and in-progress streams do not block the operation. */
export function ignoresTransient(o: edgeproto.CRMOverride): boolean {
  return o === CRMOverride.IGNORE_TRANSIENT_STATE || o === CRMOverride.IGNORE_CRM_AND_TRANSIENT_STATE;
}
