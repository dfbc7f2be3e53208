import { clone, type Message } from '@bufbuild/protobuf';
import { failedPrecondition } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import type { DeleteHooks } from '../crud/object-api';
import { checkCloudletReady } from './cloudlet-ready';
import { instWait, removeNow, type InstKind, type TrackedInst } from './inst-kind';
import { settle } from './inst-settle';
import { runTracked, type OpRun } from './run-tracked';
import type { StateDeps } from './state-deps';
import { ignoresCrm, ignoresTransient, isDeleteState, isTransientState, trackedStateCamel } from './states';
import { applyState } from './state-txn';
import { timeoutMs } from './timeouts';
import { waitForState } from './wait-state';

const TS = edgeproto.TrackedState;

/**
 * Delete of an AppInst or ClusterInst (the original's `delete<Obj>Internal`): refused
 * while busy (`AppInst busy, already under deletion` / `… busy, cannot be deleted`) or
 * while the cloudlet is not ready, then DELETE_PREPARE (with delete_prepare, so nothing
 * new can refer to it) → DELETE_REQUESTED, and the CRM's progress until it reports the
 * object gone (the intake removes it). A CRM error restores READY (`Recreating AppInst
 * due to failure`) and fails. IGNORE_CRM removes the object at once.
 */
export function deleteInst(deps: StateDeps, kind: InstKind, req: Message): AsyncGenerator<string> {
  const type = deps.reg.get(kind.typeName);
  const override = (req as TrackedInst).crmOverride;
  return runTracked(
    deps,
    kind.typeName,
    type.keyJson(req),
    { override, cleanup: (err) => err === undefined },
    (run) => deleteBody(deps, kind, req, override, run),
  );
}

function deleteHooks(deps: StateDeps, kind: InstKind, override: edgeproto.CRMOverride): DeleteHooks {
  let prev: edgeproto.TrackedState | undefined;
  return {
    async check(tx, cur) {
      const c = cur as TrackedInst;
      if (!ignoresCrm(override)) await checkCloudletReady(deps, kind.cloudletKeyOf(cur), tx, 'delete');
      if (!ignoresTransient(override)) {
        if (isDeleteState(c.state)) throw failedPrecondition(`${kind.typeName} busy, already under deletion`);
        if (isTransientState(c.state)) throw failedPrecondition(`${kind.typeName} busy, cannot be deleted`);
      }
      prev = c.state;
    },
    mark: (m) => void ((m as TrackedInst).state = TS.DELETE_PREPARE),
    unmark: (r) => {
      const o = r as TrackedInst;
      if (o.state === TS.DELETE_PREPARE && prev !== undefined) o.state = prev;
    },
    keep: (cur) => {
      if (ignoresCrm(override)) return undefined;
      const kept = clone(deps.reg.get(kind.typeName).schema, cur) as TrackedInst;
      kept.state = TS.DELETE_REQUESTED;
      kept.crmOverride = edgeproto.CRMOverride.NO_OVERRIDE;
      return kept;
    },
  };
}

async function deleteBody(
  deps: StateDeps,
  kind: InstKind,
  req: Message,
  override: edgeproto.CRMOverride,
  run: OpRun,
): Promise<void> {
  const type = deps.reg.get(kind.typeName);
  const stored = deps.cache.get<TrackedInst>(type, req);
  const forced = stored && (stored as unknown as { deletePrepare?: boolean }).deletePrepare === true;
  if (forced && ignoresTransient(override)) {
    // A delete already under way (e.g. timed out): the override asks for it again.
    if (ignoresCrm(override)) await removeNow(deps, type, req);
    else await rerequestDelete(deps, kind, req);
  } else await deps.api(kind.typeName).delete(req, deleteHooks(deps, kind, override));
  if (ignoresCrm(override)) {
    if (kind.msgs.saysWhenIgnoringCrm) run.send(kind.msgs.deleted);
    return;
  }
  const outcome = await waitForState(
    deps,
    instWait(kind, run.keyJson, run.op, {
      target: TS.NOT_PRESENT,
      errorState: TS.DELETE_ERROR,
      transitions: [TS.DELETING],
      timeoutMs: timeoutMs(deps, kind.timeouts.delete, kind.cloudletKeyOf(req)),
    }),
  );
  await settle(deps, kind, req, override, run, outcome, {
    verb: 'Delete',
    done: [trackedStateCamel(TS.NOT_PRESENT), kind.msgs.deleted],
    forcedState: TS.DELETE_DONE,
    undoMessage: kind.msgs.undoDelete,
    undo: () => restoreReady(deps, kind, req),
  });
}

/** Undo of a failed delete: the object is READY again and may be referred to. */
async function restoreReady(deps: StateDeps, kind: InstKind, holder: Message): Promise<void> {
  const type = deps.reg.get(kind.typeName);
  await applyState(deps, async (tx) => {
    const cur = await tx.get<TrackedInst>(type, holder);
    if (!cur) return;
    const next = clone(type.schema, cur) as TrackedInst & { deletePrepare?: boolean };
    next.state = TS.READY;
    next.errors = [];
    if ('deletePrepare' in next) next.deletePrepare = false;
    tx.put(type, next);
  });
}

/** Sets DELETE_REQUESTED again on an object whose delete is already prepared. */
async function rerequestDelete(deps: StateDeps, kind: InstKind, holder: Message): Promise<void> {
  const type = deps.reg.get(kind.typeName);
  await applyState(deps, async (tx) => {
    const cur = await tx.get<TrackedInst>(type, holder);
    if (!cur) return;
    const next = clone(type.schema, cur) as TrackedInst;
    next.state = TS.DELETE_REQUESTED;
    tx.put(type, next);
  });
}
