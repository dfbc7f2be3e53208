import type { Logger } from '@edge/log';
import { dme, type edgeproto } from '@edge/proto';
import type { CloudletView } from '../cloudlet-view';
import type { PolicyEvaluator } from '../policy/policy-evaluator';
import { appInstMetrics, cloudletMetrics, clusterMetrics } from './marshal';
import type { AppStats, StatsSource } from './stats-source';

/** What the collector needs. */
export interface MetricsCollectorDeps {
  readonly view: CloudletView;
  /** The stats source of the cloudlet's platform; undefined while the platform is not known yet. */
  readonly source: () => StatsSource | undefined;
  readonly send: (metric: edgeproto.Metric) => void;
  readonly policies: PolicyEvaluator;
  readonly now: () => number;
  readonly log: Logger;
}

/** The cloudlet's figures are sent every this many rounds (the original: 3 × the collection interval). */
const CLOUDLET_EVERY = 3;

/**
 * One metrics collection round (run every `shepherd_metrics_collection_interval`): a
 * sample of every READY AppInst and ClusterInst of the cloudlet, and every third round of
 * the cloudlet, sent up as Metric messages; each AppInst sample is also handed to the
 * alert-policy evaluator. A failing sample is logged and skipped, never the round.
 */
export class MetricsCollector {
  private rounds = 0;

  constructor(private readonly deps: MetricsCollectorDeps) {}

  async round(): Promise<void> {
    const { view, send, policies, now, log } = this.deps;
    const source = this.deps.source();
    if (!source) return;
    await source.beginRound?.();
    for (const ai of view.readyAppInsts()) {
      const tcpPorts = ai.mappedPorts
        .filter((p) => p.proto === dme.LProto.TCP && p.publicPort > 0)
        .map((p) => p.publicPort);
      const stats: AppStats | undefined = await source
        .appInst({ appInst: ai, app: view.app(ai), flavor: view.flavor(ai), tcpPorts })
        .catch((err: unknown) => {
          log.warn({ err, appInst: ai.key }, 'appinst metrics not collected');
          return undefined;
        });
      const ts = now();
      if (stats) for (const m of appInstMetrics(ai, stats, ts)) send(m);
      policies.observe(ai, stats, ts);
    }
    for (const ci of view.readyClusterInsts()) {
      const stats = await source.cluster(ci).catch((err: unknown) => {
        log.warn({ err, clusterInst: ci.key }, 'cluster metrics not collected');
        return undefined;
      });
      if (stats) for (const m of clusterMetrics(ci, stats, now())) send(m);
    }
    if (this.rounds++ % CLOUDLET_EVERY === 0) {
      const stats = await source.cloudlet(view.cloudlet()).catch((err: unknown) => {
        log.warn({ err }, 'cloudlet metrics not collected');
        return undefined;
      });
      if (stats) for (const m of cloudletMetrics(view.key, stats, now())) send(m);
    }
  }
}
