import type { Message } from '@bufbuild/protobuf';
import { EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { replaceErrorState, type InstKind } from './inst-kind';
import type { OpRun } from './run-tracked';
import type { StateDeps } from './state-deps';
import type { WaitOutcome } from './wait-state';

/** How a create or delete of an AppInst/ClusterInst ends, given what the CRM did. */
export interface Settlement {
  verb: 'Create' | 'Delete';
  /** Messages sent when the CRM reached the target state. */
  done: readonly string[];
  /** The state IGNORE_CRM_ERRORS forces instead of the error state. */
  forcedState: edgeproto.TrackedState;
  /** Sent before undoing, e.g. `Deleting AppInst due to failure`. */
  undoMessage: string;
  undo(): Promise<void>;
}

/**
 * The original's ending of a tracked operation, shared by create and delete: success
 * messages; a timeout while the CRM still works is reported without error or undo;
 * IGNORE_CRM_ERRORS forces the state; otherwise the operation is undone and fails with
 * the CRM's error (a failed undo of a ClusterInst is reported too).
 */
export async function settle(
  deps: StateDeps,
  kind: InstKind,
  req: Message,
  override: edgeproto.CRMOverride,
  run: OpRun,
  outcome: WaitOutcome,
  s: Settlement,
): Promise<void> {
  if (outcome.kind === 'ok') {
    for (const m of s.done) run.send(m);
    return;
  }
  if (outcome.kind === 'in-progress') return run.send(outcome.message);
  const last = s.done[s.done.length - 1] ?? '';
  if (override === edgeproto.CRMOverride.IGNORE_CRM_ERRORS) {
    run.send(`${s.verb} ${kind.typeName} ignoring CRM failure: ${outcome.error.message}`);
    await replaceErrorState(deps, deps.reg.get(kind.typeName), req, s.forcedState);
    return run.send(last);
  }
  run.send(s.undoMessage);
  try {
    await s.undo();
  } catch (undoErr) {
    deps.log.info(
      { err: undoErr, keyJson: run.keyJson },
      `undo ${s.verb.toLowerCase()} ${kind.typeName} failed`,
    );
    if (kind.typeName === 'ClusterInst') {
      const noun = s.verb === 'Create' ? 'creation' : 'deletion';
      run.send(`Failed to undo ClusterInst ${noun}: ${EdgeError.from(undoErr).message}`);
    }
  }
  throw outcome.error;
}
