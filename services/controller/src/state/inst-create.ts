import type { Message } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { runTracked, type OpRun } from './run-tracked';
import type { StateDeps } from './state-deps';
import { ignoresCrm } from './states';
import { timeoutMs } from './timeouts';
import { instWait, removeNow, type InstKind, type TrackedInst } from './inst-kind';
import { settle } from './inst-settle';
import { waitForState } from './wait-state';

const TS = edgeproto.TrackedState;

/**
 * Create of an AppInst or ClusterInst (the original's `create<Obj>Internal`): stored as
 * CREATE_REQUESTED (READY with IGNORE_CRM; the override itself is not stored), then the
 * CRM's progress until READY. A CRM error or a timeout outside a transition state undoes
 * the create (`Deleting AppInst due to failure`, the object removed) and fails with the
 * error; IGNORE_CRM_ERRORS keeps the object as READY instead.
 */
export function createInst(deps: StateDeps, kind: InstKind, req: Message): AsyncGenerator<string> {
  const type = deps.reg.get(kind.typeName);
  const keyJson = type.keyJson(req);
  const override = (req as TrackedInst).crmOverride;
  return runTracked(
    deps,
    kind.typeName,
    keyJson,
    { override, cleanup: (err) => err !== undefined && !deps.cache.get(type, req) },
    (run) => createBody(deps, kind, req, override, run),
  );
}

async function createBody(
  deps: StateDeps,
  kind: InstKind,
  req: Message,
  override: edgeproto.CRMOverride,
  run: OpRun,
): Promise<void> {
  const type = deps.reg.get(kind.typeName);
  const created = await deps.api(kind.typeName).create(req, run.ctx, (obj) => {
    const o = obj as TrackedInst;
    o.crmOverride = edgeproto.CRMOverride.NO_OVERRIDE;
    o.state = ignoresCrm(override) ? TS.READY : TS.CREATE_REQUESTED;
  });
  if (ignoresCrm(override)) {
    if (kind.msgs.saysWhenIgnoringCrm) run.send(kind.msgs.created);
    return;
  }
  const outcome = await waitForState(
    deps,
    instWait(kind, run.keyJson, run.op, {
      target: TS.READY,
      errorState: TS.CREATE_ERROR,
      transitions: [TS.CREATING],
      timeoutMs: timeoutMs(deps, kind.timeouts.create, kind.cloudletKeyOf(created)),
    }),
  );
  await settle(deps, kind, req, override, run, outcome, {
    verb: 'Create',
    done: [kind.msgs.created],
    forcedState: TS.READY,
    undoMessage: kind.msgs.undoCreate,
    undo: () => removeNow(deps, type, req),
  });
}
