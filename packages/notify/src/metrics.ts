import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { edgeproto } from '@edge/proto';
import type { NotifyServer } from './notify-server';

/** Name of the measurement a parent's figures are written under. */
export const NOTIFY_METRIC = 'notify-server';

/**
 * A parent's figures as a Metric (the platform's metric message, written to InfluxDB like
 * any other): children connected and synced, resyncs running and waiting, the largest
 * per-child lag in revisions, notices and bytes sent since start, the source revision and
 * commit → all-acked convergence (p50/p99/max over the recent window).
 */
export function notifyServerMetric(
  server: NotifyServer,
  tags: Readonly<Record<string, string>>,
  now: Date = new Date(),
): edgeproto.Metric {
  const s = server.stats();
  const lag = server.children().reduce((max, c) => Math.max(max, c.lag), 0);
  const ints: Record<string, number> = {
    connected: s.connected,
    synced: s.synced,
    resyncsRunning: s.resyncsRunning,
    resyncsWaiting: s.resyncsWaiting,
    maxLag: lag,
    noticesSent: s.noticesSent,
    bytesSent: s.bytesSent,
    revision: s.revision,
  };
  const doubles: Record<string, number> = {
    convergenceP50Ms: s.convergence.p50Ms,
    convergenceP99Ms: s.convergence.p99Ms,
    convergenceMaxMs: s.convergence.maxMs,
  };
  return create(edgeproto.MetricSchema, {
    name: NOTIFY_METRIC,
    timestamp: timestampFromDate(now),
    tags: Object.entries(tags).map(([name, val]) => ({ name, val })),
    vals: [
      ...Object.entries(ints).map(([name, v]) => ({
        name,
        value: { case: 'ival' as const, value: BigInt(v) },
      })),
      ...Object.entries(doubles).map(([name, v]) => ({ name, value: { case: 'dval' as const, value: v } })),
    ],
  });
}
