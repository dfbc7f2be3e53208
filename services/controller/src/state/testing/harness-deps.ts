import type { ControllerHarness } from '../../testing/harness';
import type { StateDeps } from '../state-deps';

/** The state machine's dependencies of a test Controller (to reach its intake from a test). */
export function stateDepsOf(h: ControllerHarness): StateDeps {
  return h.ctrl.apiDeps;
}
