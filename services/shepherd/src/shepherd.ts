import { create, createRegistry, type MessageInitShape } from '@bufbuild/protobuf';
import { silentLogger, type Logger } from '@edge/log';
import { NotifyClient, registryCodec, type NotifyClientOptions } from '@edge/notify';
import { ObjectRegistry, allFiles, edgeproto } from '@edge/proto';
import { AlertPublisher } from './alerts/alert-publisher';
import { CloudletView } from './cloudlet-view';
import { HealthMonitor } from './health/health-monitor';
import type { CheckedPort } from './health/health-ports';
import { tcpProbe, type Probe } from './health/probe';
import { MetricsCollector } from './metrics/metrics-collector';
import { DEFAULT_STATS_SOURCES, PlatformStats, type StatsSources } from './metrics/platform-stats';
import { PolicyEvaluator } from './policy/policy-evaluator';
import { Replica, SHEPHERD_WANTS, T } from './replica';
import { shepherdIntervals, type ShepherdIntervals } from './settings';
import { Ticker } from './ticker';

const ALERT = 'edgeproto.Alert';
const METRIC = 'edgeproto.Metric';
const { PlatformType } = edgeproto;

/** Platforms whose instances run on the Shepherd's own host (the original's deployment_local). */
const ON_THIS_HOST = new Set([PlatformType.FAKE, PlatformType.LOCAL]);

/** What a Shepherd is built from (`main.ts` reads them from flags; tests pass them). */
export interface ShepherdDeps {
  /** The cloudlet this Shepherd serves. */
  readonly cloudletKey: MessageInitShape<typeof edgeproto.CloudletKeySchema>;
  /** Region name (label `region` of its alerts). */
  readonly region: string;
  /** The CRM's notify server(s). */
  readonly notifyAddrs: readonly string[];
  /** The cloudlet's platform; default: the Cloudlet object's `platform_type` once received. */
  readonly platform?: edgeproto.PlatformType;
  /** Host the health checks dial; default 127.0.0.1 for the fake and local platforms, else the AppInst's URI. */
  readonly healthCheckHost?: string;
  /** Metadata of each notify stream, e.g. the signed cloudlet access key. */
  readonly notifyMetadata?: () => Record<string, string>;
  /** Node name in the notify tree; default `shepherd`. */
  readonly name?: string;
  /** Stats collectors by platform type name; default: `local` measures processes, others are deterministic. */
  readonly statsSources?: StatsSources;
  /** The TCP health check (tests may replace it). */
  readonly probe?: Probe;
  /** Notify client tuning (tests: short backoff). */
  readonly notify?: Partial<Pick<NotifyClientOptions, 'backoff' | 'ackDelayMs' | 'rpc' | 'random'>>;
  readonly now?: () => number;
  readonly log?: Logger;
}

/** A running Shepherd. */
export interface Shepherd {
  readonly client: NotifyClient;
  /** What it received from its parent. */
  readonly replica: Replica;
  /** The alerts it has firing. */
  readonly alerts: AlertPublisher;
  /** The intervals in force (from Settings). */
  intervals(): ShepherdIntervals;
  /** Connects and starts health checks and metrics. Idempotent. */
  start(): void;
  /** Resolves when the parent's initial send is complete. */
  waitSynced(): Promise<void>;
  /** Stops the checks and disconnects. */
  stop(): Promise<void>;
}

/**
 * A Shepherd for one cloudlet: a notify child of the cloudlet's CRM that receives the
 * cloudlet's objects and Settings, health-checks its READY AppInsts (AppInstDown alerts),
 * collects metrics at the Settings interval (Metric messages), and evaluates the Apps'
 * AlertPolicies (UserDefined alerts). Alerts go up as info objects, so the parent's flush
 * removes them when the Shepherd goes away. CloudletResourceUsage is the Controller's (as
 * in the original): a Shepherd does not see the cloudlet's resource snapshot.
 *
 * @example
 *   const shepherd = createShepherd({ cloudletKey: { organization: 'op', name: 'c1' },
 *     region: 'local', notifyAddrs: ['127.0.0.1:51001'], log });
 *   shepherd.start();
 *   …
 *   await shepherd.stop();
 */
export function createShepherd(deps: ShepherdDeps): Shepherd {
  const log = (deps.log ?? silentLogger()).child({
    component: 'shepherd',
    cloudlet: deps.cloudletKey.name,
    cloudletorg: deps.cloudletKey.organization,
  });
  const now = deps.now ?? Date.now;
  const codec = registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));
  const replica = new Replica(codec);
  const view = new CloudletView(replica, create(edgeproto.CloudletKeySchema, deps.cloudletKey));
  const metadata = deps.notifyMetadata;
  const client = new NotifyClient({
    ...codec,
    addresses: deps.notifyAddrs,
    name: deps.name ?? 'shepherd',
    wants: SHEPHERD_WANTS,
    sink: replica,
    log,
    ...deps.notify,
    ...(metadata ? { metadata } : {}),
  });
  const alerts = new AlertPublisher(
    (key, alert) => client.update(ALERT, key, alert),
    (alert) => codec.keyJson(ALERT, alert),
  );
  const keyJson = (ai: edgeproto.AppInst): string => codec.keyJson(T.AppInst, ai);
  const intervals = (): ShepherdIntervals => shepherdIntervals(replica.settings());
  /** The platform, once known (flag, else the Cloudlet object). */
  const platform = (): edgeproto.PlatformType | undefined => deps.platform ?? view.cloudlet()?.platformType;
  const host = (ai: edgeproto.AppInst, port: CheckedPort): string | undefined => {
    if (deps.healthCheckHost) return deps.healthCheckHost;
    if (ON_THIS_HOST.has(platform() ?? PlatformType.FAKE)) return '127.0.0.1';
    return ai.uri ? `${port.fqdnPrefix}${ai.uri}` : undefined;
  };

  const health = new HealthMonitor({
    view,
    alerts,
    region: deps.region,
    intervals,
    host,
    // Instances of the fake platform exist only in its memory: nothing to dial, always healthy.
    probe:
      deps.probe ??
      ((h, p, t) => (platform() === PlatformType.FAKE ? Promise.resolve('ok') : tcpProbe(h, p, t))),
    keyJson,
    now,
    log,
  });
  const policies = new PolicyEvaluator({ view, alerts, region: deps.region, keyJson });
  const stats = new PlatformStats({ ...DEFAULT_STATS_SOURCES, ...deps.statsSources });
  const collector = new MetricsCollector({
    view,
    source: () => {
      const p = platform();
      return p === undefined ? undefined : stats.for(p);
    },
    send: (m) => client.message(METRIC, m),
    policies,
    now,
    log,
  });
  const metrics = new Ticker(
    () => collector.round(),
    () => intervals().collectionMs,
    (err) => log.warn({ err }, 'metrics round failed'),
  );

  const onChange = (type: string): void => {
    if (type === T.Settings) {
      health.reschedule();
      metrics.reschedule();
    }
    health.sync();
    policies.retain(new Set(view.readyAppInsts().map(keyJson)));
  };
  let unsubscribe: (() => void) | undefined;

  return {
    client,
    replica,
    alerts,
    intervals,
    start() {
      if (unsubscribe) return;
      unsubscribe = replica.onChange(onChange);
      client.start();
      metrics.start();
      log.info({ notifyAddrs: deps.notifyAddrs }, 'shepherd started');
    },
    waitSynced: () => client.waitSynced(),
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await metrics.stop();
      await health.stop();
      await client.stop();
    },
  };
}
