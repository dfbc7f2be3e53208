import type { Logger } from '@edge/log';
import type { edgeproto } from '@edge/proto';
import type { Cookies } from '../auth/cookies';
import type { Selector } from '../match/select';
import type { DmeTable } from '../state/dme-table';
import { EdgeClients } from './clients';
import { EdgeEventsMetrics } from './metrics';
import { streamEdgeEvent } from './stream';
import { EdgeEventsTableWatcher } from './table-watcher';

export { EdgeClients, instId, type EdgeClient } from './clients';
export { EdgeEventsMetrics } from './metrics';
export { computeStatistics } from './statistics';
export { locationTile } from './location-tile';
export { streamEdgeEvent, FIRST_MESSAGE_INIT } from './stream';
export { EdgeEventsTableWatcher, LATENCY_REQUEST } from './table-watcher';

/** Default `edge_events_metrics_collection_interval` when Settings carry none (1 h). */
const DEFAULT_METRICS_MS = 3600_000;

export interface EdgeEventsDeps {
  table: DmeTable;
  selector: Selector;
  /** Where Metrics go (up the notify tree). */
  sendMetric: (m: edgeproto.Metric) => void;
  self?: { cloudletOrg: string; cloudlet: string };
  /** Fixed metrics interval; default Settings `edge_events_metrics_collection_interval`. */
  metricsIntervalMs?: number;
  now?: () => number;
  log: Logger;
}

/**
 * Edge events of one DME: the client registry, the ReplicaSink to give the notify client
 * instead of the bare table (so state changes push events), the StreamEdgeEvent handler
 * (after `start(cookies)`), and the periodic metrics.
 */
export class EdgeEvents {
  readonly clients: EdgeClients;
  readonly metrics: EdgeEventsMetrics;
  /** Give this to the notify client as its sink. */
  readonly sink: EdgeEventsTableWatcher;
  private cookieMaker: Cookies | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly d: EdgeEventsDeps) {
    const log = d.log.child({ component: 'edge-events' });
    this.clients = new EdgeClients({
      table: d.table,
      selector: d.selector,
      cookies: () => {
        if (!this.cookieMaker) throw new Error('edge events not started');
        return this.cookieMaker;
      },
      log,
    });
    this.metrics = new EdgeEventsMetrics(d.self ?? { cloudletOrg: '', cloudlet: '' }, d.sendMetric, d.now);
    this.sink = new EdgeEventsTableWatcher(d.table, this.clients, log);
  }

  /** The StreamEdgeEvent handler, signing new edge-events cookies with `cookies`. */
  handler(cookies: Cookies): ReturnType<typeof streamEdgeEvent> {
    this.cookieMaker = cookies;
    return streamEdgeEvent({
      table: this.d.table,
      cookies,
      clients: this.clients,
      metrics: this.metrics,
      log: this.d.log.child({ component: 'edge-events' }),
      ...(this.d.now ? { now: this.d.now } : {}),
    });
  }

  /** Starts flushing metrics every interval (re-read from Settings each time). */
  start(): void {
    const schedule = (): void => {
      const ns = this.d.table.settings?.edgeEventsMetricsCollectionInterval ?? 0n;
      const ms = this.d.metricsIntervalMs ?? (ns > 0n ? Number(ns / 1_000_000n) : DEFAULT_METRICS_MS);
      this.timer = setTimeout(
        () => {
          this.metrics.flush();
          schedule();
        },
        Math.max(ms, 10),
      );
      this.timer.unref();
    };
    if (!this.timer) schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
