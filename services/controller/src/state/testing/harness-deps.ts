import { silentLogger } from '@edge/log';
import { ObjectRegistry, allFiles } from '@edge/proto';
import type { ControllerHarness } from '../../testing/harness';
import type { StateDeps } from '../state-deps';

/** The state machine's dependencies of a test Controller (to reach its intake from a test). */
export function stateDepsOf(h: ControllerHarness, region: string): StateDeps {
  return {
    reg: new ObjectRegistry(allFiles),
    region,
    kv: h.kv,
    store: h.ctrl.store,
    cache: h.ctrl.view,
    regionCache: h.ctrl.cache,
    log: silentLogger(),
    now: () => new Date(),
    api: (name) => {
      const a = h.ctrl.apis.get(name);
      if (!a) throw new Error(`no API for ${name}`);
      return a;
    },
  };
}
