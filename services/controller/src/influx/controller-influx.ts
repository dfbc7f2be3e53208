import type { Logger } from '@edge/log';
import type { ObjectRegistry, edgeproto } from '@edge/proto';
import type { RegionCache } from '@edge/store';
import { EVENTS_DB, cacheLookups } from './event-points';
import { recordLifecycleEvents } from './event-recorder';
import { InfluxWriter, type InfluxWriterOptions } from './influx-writer';
import { METRICS_DB, metricDb, metricPoint } from './metric-point';
import type { OwnWrites } from './own-writes';
import { NanoClock } from './points';

/** Options of {@link createControllerInflux}. */
export interface ControllerInfluxOptions {
  /** InfluxDB 1.x base URL. */
  readonly url: string;
  readonly reg: ObjectRegistry;
  readonly cache: RegionCache;
  /** Fed by the Controller's store (see `trackOwnWrites`). */
  readonly own: OwnWrites;
  readonly log: Logger;
  /** Writer tuning (flush interval, queue bound, …). */
  readonly writer?: Omit<Partial<InfluxWriterOptions>, 'url' | 'log'>;
}

/** The Controller's InfluxDB side: lifecycle events and forwarded metrics. */
export interface ControllerInflux {
  readonly writer: InfluxWriter;
  /** Queues a Metric message from the notify tree for the `metrics` (or edge-events) database. */
  recordMetric(metric: edgeproto.Metric): void;
  /** Starts writing and recording lifecycle events. */
  start(): void;
  /** Stops recording and makes a last attempt to write what is queued. */
  stop(): Promise<void>;
}

/** Wires the writer and the lifecycle event recorder; nothing runs until `start()`. */
export function createControllerInflux(opts: ControllerInfluxOptions): ControllerInflux {
  const log = opts.log.child({ component: 'influx' });
  const writer = new InfluxWriter({
    databases: [EVENTS_DB, METRICS_DB],
    ...opts.writer,
    url: opts.url,
    log,
  });
  const clock = new NanoClock();
  let unsubscribe: (() => void) | undefined;
  return {
    writer,
    recordMetric(metric) {
      const point = metricPoint(metric, () => clock.next());
      if (point) writer.write(metricDb(metric.name), point);
      else log.debug({ name: metric.name }, 'metric without name or values ignored');
    },
    start() {
      writer.start();
      unsubscribe ??= recordLifecycleEvents({
        cache: opts.cache,
        lookups: cacheLookups(opts.reg, opts.cache),
        own: opts.own,
        sink: writer,
        clock,
        log,
      });
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      await writer.stop();
    },
  };
}
