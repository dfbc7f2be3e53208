import type { edgeproto } from '@edge/proto';
import type { AlertPublisher } from '../alerts/alert-publisher';
import type { CloudletView } from '../cloudlet-view';
import type { AppStats } from '../metrics/stats-source';
import { policyAlert, policyBreach, policyFigures } from './policy-alert';

/** What the evaluator needs. */
export interface PolicyEvaluatorDeps {
  readonly view: CloudletView;
  readonly alerts: AlertPublisher;
  readonly region: string;
  readonly keyJson: (ai: edgeproto.AppInst) => string;
}

const OWNER = 'policy/';

/** Owner name of an AppInst's policy alerts in the AlertPublisher. */
export const policyOwner = (keyJson: string): string => `${OWNER}${keyJson}`;

/**
 * User-defined alerts (the original's AlertPolicy → Prometheus `for:` rules): with each
 * sample of an AppInst, each policy its App names is checked; a policy whose condition
 * has held since the first sample that met it for at least `trigger_time` fires, with
 * `active_at` at that first sample; the first sample that does not meet it clears it
 * (as does a missing sample, or the policy leaving the App).
 */
export class PolicyEvaluator {
  /** AppInst key JSON → policy name → when its condition started holding (ms). */
  private readonly since = new Map<string, Map<string, number>>();

  constructor(private readonly deps: PolicyEvaluatorDeps) {}

  /** Evaluates the policies of `ai` against one sample taken at `nowMs` (undefined: none could be taken). */
  observe(ai: edgeproto.AppInst, stats: AppStats | undefined, nowMs: number): void {
    const { view, alerts, region, keyJson } = this.deps;
    const key = keyJson(ai);
    const prev = this.since.get(key);
    const next = new Map<string, number>();
    const firing: edgeproto.Alert[] = [];
    const figures = stats ? policyFigures(stats, view.flavor(ai)) : undefined;
    for (const p of view.alertPolicies(ai)) {
      const name = p.key?.name ?? '';
      const value = figures ? policyBreach(p, figures) : undefined;
      if (value === undefined) continue;
      const start = prev?.get(name) ?? nowMs;
      next.set(name, start);
      if (nowMs - start >= Number(p.triggerTime / 1_000_000n))
        firing.push(policyAlert(p, ai, region, start, value));
    }
    if (next.size > 0) this.since.set(key, next);
    else this.since.delete(key);
    alerts.set(policyOwner(key), firing);
  }

  /** Forgets AppInsts not in `keys` (gone or no longer READY) and clears their alerts. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of [...this.since.keys()]) if (!keys.has(key)) this.since.delete(key);
    for (const owner of this.deps.alerts.owners()) {
      if (owner.startsWith(OWNER) && !keys.has(owner.slice(OWNER.length))) this.deps.alerts.clear(owner);
    }
  }
}
