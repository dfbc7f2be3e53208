import { create } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import { dme, edgeproto } from '@edge/proto';
import {
  ALERT_APPINST_DOWN,
  ANNOTATION_DESCRIPTION,
  ANNOTATION_TITLE,
  DESCRIPTION_ROOTLB_OFFLINE,
  DESCRIPTION_SERVER_FAIL,
  LABEL_ALERTNAME,
  LABEL_REGION,
  LABEL_SCOPE,
  LABEL_SEVERITY,
  LABEL_STATUS,
  SCOPE_APPLICATION,
  SEVERITY_ERROR,
  appInstKeyTags,
  healthCheckCamel,
  timestampOf,
} from '../alerts/alert-names';
import type { AlertPublisher } from '../alerts/alert-publisher';
import type { CloudletView } from '../cloudlet-view';
import type { ShepherdIntervals } from '../settings';
import { Ticker } from '../ticker';
import { healthCheckPorts, type CheckedPort } from './health-ports';
import type { Probe, ProbeResult } from './probe';

/** What the health monitor needs. */
export interface HealthMonitorDeps {
  readonly view: CloudletView;
  readonly alerts: AlertPublisher;
  readonly region: string;
  readonly intervals: () => ShepherdIntervals;
  /** The host to dial for a port of an AppInst; undefined: not known (the port is not checked). */
  readonly host: (ai: edgeproto.AppInst, port: CheckedPort) => string | undefined;
  readonly probe: Probe;
  readonly keyJson: (ai: edgeproto.AppInst) => string;
  readonly now: () => number;
  readonly log: Logger;
}

/** One AppInst under watch. */
interface Watch {
  readonly holder: edgeproto.AppInst;
  readonly ticker: Ticker;
  /** Consecutive failed checks. */
  failures: number;
  stopped: boolean;
}

/** Owner name of an AppInst's health alert in the AlertPublisher. */
export const healthOwner = (keyJson: string): string => `health/${keyJson}`;

/**
 * TCP health checks of the READY AppInsts of a cloudlet (the original's envoy health
 * check plus its `AppInstDown` Prometheus rules): each mapped TCP port is dialled every
 * `shepherd_health_check_interval`; after `shepherd_health_check_retries` failed checks
 * in a row an `AppInstDown` alert is raised (status `HealthCheckRootlbOffline` when
 * nothing on the host answered, else `HealthCheckServerFail`); the first good check
 * clears it. `sync()` starts and stops checkers as AppInsts come and go (call it on
 * every change); `reschedule()` applies new intervals at once.
 */
export class HealthMonitor {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly deps: HealthMonitorDeps) {}

  /** Starts checking new READY AppInsts, stops (and clears the alert of) the others. */
  sync(): void {
    const want = new Map(this.deps.view.readyAppInsts().map((ai) => [this.deps.keyJson(ai), ai]));
    for (const [key, w] of this.watches) if (!want.has(key)) this.unwatch(key, w);
    for (const [key, ai] of want) if (!this.watches.has(key)) this.watch(key, ai);
  }

  /** Applies changed intervals to every checker. */
  reschedule(): void {
    for (const w of this.watches.values()) w.ticker.reschedule();
  }

  /** Keys of the AppInsts under watch. */
  watched(): string[] {
    return [...this.watches.keys()];
  }

  /** Stops every checker; the alerts stay (they are the last known state). */
  async stop(): Promise<void> {
    const all = [...this.watches.values()];
    this.watches.clear();
    for (const w of all) w.stopped = true;
    await Promise.all(all.map((w) => w.ticker.stop()));
  }

  private watch(key: string, ai: edgeproto.AppInst): void {
    const w: Watch = {
      holder: ai,
      failures: 0,
      stopped: false,
      ticker: new Ticker(
        () => this.check(key, w),
        () => this.deps.intervals().healthCheckMs,
        (err) => this.deps.log.warn({ err, appInst: key }, 'health check failed to run'),
      ),
    };
    this.watches.set(key, w);
    w.ticker.start();
  }

  private unwatch(key: string, w: Watch): void {
    w.stopped = true;
    this.watches.delete(key);
    void w.ticker.stop();
    this.deps.alerts.clear(healthOwner(key));
  }

  private async check(key: string, w: Watch): Promise<void> {
    const { view, intervals, probe, host } = this.deps;
    const ai = view.appInst(w.holder);
    if (!ai) return;
    const targets = healthCheckPorts(ai, view.app(ai)).flatMap((p) => {
      const h = host(ai, p);
      return h ? [{ host: h, port: p.publicPort }] : [];
    });
    const { healthCheckMs, healthCheckRetries } = intervals();
    // Generous, so that a busy event loop does not read as a dead host (envoy's is 1 s).
    const timeoutMs = Math.min(3000, Math.max(1000, healthCheckMs));
    const results = await Promise.all(targets.map((t) => probe(t.host, t.port, timeoutMs)));
    if (w.stopped) return;
    const failed = results.filter((r) => r !== 'ok');
    if (failed.length === 0) {
      if (w.failures > 0) this.deps.log.info({ appInst: key }, 'health check ok again');
      w.failures = 0;
      this.deps.alerts.clear(healthOwner(key));
      return;
    }
    w.failures++;
    this.deps.log.debug({ appInst: key, results, failures: w.failures }, 'health check failed');
    if (w.failures < healthCheckRetries) return;
    const status = allUnreachable(results) ? dme.HealthCheck.ROOTLB_OFFLINE : dme.HealthCheck.SERVER_FAIL;
    if (w.failures === healthCheckRetries)
      this.deps.log.info({ appInst: key, status: healthCheckCamel(status) }, 'AppInst down');
    this.deps.alerts.set(healthOwner(key), [this.downAlert(ai, status)]);
  }

  private downAlert(ai: edgeproto.AppInst, status: dme.HealthCheck): edgeproto.Alert {
    const rootLb = status === dme.HealthCheck.ROOTLB_OFFLINE;
    return create(edgeproto.AlertSchema, {
      labels: {
        [LABEL_ALERTNAME]: ALERT_APPINST_DOWN,
        [LABEL_REGION]: this.deps.region,
        ...appInstKeyTags(ai.key),
        [LABEL_STATUS]: healthCheckCamel(status),
        [LABEL_SEVERITY]: SEVERITY_ERROR,
        [LABEL_SCOPE]: SCOPE_APPLICATION,
      },
      annotations: {
        [ANNOTATION_TITLE]: ALERT_APPINST_DOWN,
        [ANNOTATION_DESCRIPTION]: rootLb ? DESCRIPTION_ROOTLB_OFFLINE : DESCRIPTION_SERVER_FAIL,
      },
      state: 'firing',
      activeAt: timestampOf(this.deps.now()),
    });
  }
}

function allUnreachable(results: readonly ProbeResult[]): boolean {
  return results.every((r) => r === 'unreachable');
}
