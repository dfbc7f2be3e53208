import { clone, equals, type Message } from '@bufbuild/protobuf';
import { failedPrecondition } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { checkCloudletReady } from './cloudlet-ready';
import { instWait, type InstKind, type TrackedInst } from './inst-kind';
import { runTracked, type OpRun } from './run-tracked';
import type { StateDeps } from './state-deps';
import { ignoresCrm, ignoresTransient } from './states';
import { timeoutMs } from './timeouts';
import { waitForState } from './wait-state';

const TS = edgeproto.TrackedState;

/** Options of an update: AppInst refresh may go to the CRM without a field change. */
export interface UpdateOptions {
  /** Request the CRM even if no field changed (RefreshAppInst with a new App revision / force_update). */
  readonly force?: boolean;
}

/**
 * Update of an AppInst or ClusterInst by field mask: allowed from READY (and, to retry,
 * UPDATE_ERROR — `previous update failed, […], trying again` for ClusterInst); otherwise
 * refused (`ClusterInst busy, cannot update`, `AppInst is not ready or update_error`).
 * A change sets UPDATE_REQUESTED and streams the CRM's progress until READY; no change
 * ends at once. A CRM error leaves UPDATE_ERROR (no undo) and fails.
 */
export function updateInst(
  deps: StateDeps,
  kind: InstKind,
  req: Message,
  opts: UpdateOptions = {},
): AsyncGenerator<string> {
  const type = deps.reg.get(kind.typeName);
  const override = (req as TrackedInst).crmOverride;
  return runTracked(deps, kind.typeName, type.keyJson(req), { override }, (run) =>
    updateBody(deps, kind, req, override, opts, run),
  );
}

async function updateBody(
  deps: StateDeps,
  kind: InstKind,
  req: Message,
  override: edgeproto.CRMOverride,
  opts: UpdateOptions,
  run: OpRun,
): Promise<void> {
  const type = deps.reg.get(kind.typeName);
  let retryMsg: string | undefined;
  let requested = false;
  const hasMask = ((req as unknown as { fields?: string[] }).fields ?? []).length > 0;
  // A refresh changes no field: a mask of just the key passes the generic update unchanged.
  const input = hasMask ? req : Object.assign(clone(type.schema, req), { fields: ['key'] });
  await deps.api(kind.typeName).update(input, async (tx, cur, next) => {
    const c = cur as TrackedInst;
    const n = next as TrackedInst;
    retryMsg = undefined;
    if (!ignoresCrm(override)) await checkCloudletReady(deps, kind.cloudletKeyOf(cur), tx, 'update');
    let retry = false;
    if (c.state !== TS.READY && !ignoresTransient(override)) {
      if (c.state !== TS.UPDATE_ERROR) throw failedPrecondition(kind.msgs.busy);
      retry = true;
      if (kind.typeName === 'ClusterInst')
        retryMsg = `previous update failed, [${c.errors.join(' ')}], trying again`;
    }
    n.crmOverride = edgeproto.CRMOverride.NO_OVERRIDE;
    const changed = retry || opts.force === true || !equals(type.schema, cur, next);
    requested = changed && !ignoresCrm(override);
    if (requested) n.state = TS.UPDATE_REQUESTED;
  });
  if (retryMsg) run.send(retryMsg);
  if (!requested) return;
  const outcome = await waitForState(
    deps,
    instWait(kind, run.keyJson, run.op, {
      target: TS.READY,
      errorState: TS.UPDATE_ERROR,
      transitions: [TS.UPDATING],
      timeoutMs: timeoutMs(deps, kind.timeouts.update, kind.cloudletKeyOf(req)),
    }),
  );
  if (outcome.kind === 'error') throw outcome.error;
  if (outcome.kind === 'in-progress') return run.send(outcome.message);
  if (kind.msgs.updated) run.send(kind.msgs.updated);
}
