import { dme, edgeproto } from '@edge/proto';
import type { CacheChange } from '@edge/store';

/** Instance lifecycle events, as the original's `cloudcommon.InstanceEvent`. */
export type InstanceEvent =
  | 'CREATED'
  | 'UPDATE_START'
  | 'UPDATE_ERROR'
  | 'UPDATE_COMPLETE'
  | 'DELETED'
  | 'DELETE_ERROR'
  | 'HEALTH_CHECK_FAIL'
  | 'HEALTH_CHECK_OK'
  | 'RESERVED'
  | 'UNRESERVED';

/** `status` of an event: whether the instance counts as up afterwards (`cloudcommon.InstanceUp/Down`). */
export type InstanceStatus = 'UP' | 'DOWN';

/** One event to record. */
export interface LifecycleEvent {
  readonly event: InstanceEvent;
  readonly status: InstanceStatus;
}

/** The object types that have lifecycle events, with their measurement in the `events` database. */
export const EVENT_MEASUREMENTS = {
  AppInst: 'appinst',
  ClusterInst: 'clusterinst',
  Cloudlet: 'cloudlet',
} as const;

/** A type name of {@link EVENT_MEASUREMENTS}. */
export type EventType = keyof typeof EVENT_MEASUREMENTS;

type Tracked = edgeproto.AppInst | edgeproto.ClusterInst | edgeproto.Cloudlet;

const S = edgeproto.TrackedState;
const UPDATING: ReadonlySet<edgeproto.TrackedState> = new Set([S.UPDATE_REQUESTED, S.UPDATING]);

/** Up for billing: READY, or no state at all (objects no CRM tracks). */
function isUp(state: edgeproto.TrackedState): boolean {
  return state === S.READY || state === S.TRACKED_STATE_UNKNOWN;
}

/** Before the first READY: the create is still in progress or failed. */
function creating(state: edgeproto.TrackedState): boolean {
  return (
    state === S.NOT_PRESENT ||
    state === S.CREATE_REQUESTED ||
    state === S.CREATING ||
    state === S.CREATE_ERROR ||
    state === S.CREATING_DEPENDENCIES
  );
}

/**
 * The events the original Controller records for a change of an AppInst, ClusterInst or
 * Cloudlet. The original records them where its APIs return (create done, update started /
 * done / failed, delete done, health check flips, reservation taken / freed); here they are
 * read off the stored state transitions, which those API outcomes write:
 *
 * - CREATED: first reaching READY (or stored without a tracked state);
 * - UPDATE_START: READY → UPDATE_REQUESTED/UPDATING; UPDATE_COMPLETE / UPDATE_ERROR: from there
 *   to READY / UPDATE_ERROR (AppInst, ClusterInst);
 * - DELETED: the object removed; DELETE_ERROR: entering DELETE_ERROR (ClusterInst only, as the original);
 * - HEALTH_CHECK_FAIL / HEALTH_CHECK_OK: AppInst `health_check` leaving OK / back to OK from a failure;
 * - RESERVED / UNRESERVED: ClusterInst `reserved_by` set / cleared.
 */
export function lifecycleEvents(type: EventType, c: CacheChange<Tracked>): LifecycleEvent[] {
  if (c.type === 'delete') return c.old ? [{ event: 'DELETED', status: 'DOWN' }] : [];
  const obj = c.obj;
  if (!obj) return [];
  const out: LifecycleEvent[] = [];
  const was = c.old?.state;
  const now = obj.state;
  if (isUp(now) && (was === undefined || creating(was))) out.push({ event: 'CREATED', status: 'UP' });
  if (type !== 'Cloudlet' && was !== undefined) {
    if (isUp(was) && UPDATING.has(now)) out.push({ event: 'UPDATE_START', status: 'DOWN' });
    if (UPDATING.has(was) && now === S.READY) out.push({ event: 'UPDATE_COMPLETE', status: 'UP' });
    if (UPDATING.has(was) && now === S.UPDATE_ERROR) out.push({ event: 'UPDATE_ERROR', status: 'DOWN' });
  }
  if (type === 'ClusterInst') {
    if (was !== S.DELETE_ERROR && now === S.DELETE_ERROR) out.push({ event: 'DELETE_ERROR', status: 'DOWN' });
    const before = (c.old as edgeproto.ClusterInst | undefined)?.reservedBy ?? '';
    const after = (obj as edgeproto.ClusterInst).reservedBy;
    if (!before && after) out.push({ event: 'RESERVED', status: 'UP' });
    if (before && !after) out.push({ event: 'UNRESERVED', status: 'DOWN' });
  }
  if (type === 'AppInst' && c.old) {
    // UNKNOWN → OK is the default set when the instance first becomes READY, not a recovery.
    const { OK, UNKNOWN } = dme.HealthCheck;
    const before = (c.old as edgeproto.AppInst).healthCheck;
    const after = (obj as edgeproto.AppInst).healthCheck;
    if (before === OK && after !== OK) out.push({ event: 'HEALTH_CHECK_FAIL', status: 'DOWN' });
    if (before !== OK && before !== UNKNOWN && after === OK)
      out.push({ event: 'HEALTH_CHECK_OK', status: 'UP' });
  }
  return out;
}
