import type { edgeproto } from '@edge/proto';
import { IntField, type FieldValue, type InfluxPoint } from './points';

/** Database of the metrics Shepherd, the CRM and the DME send up (`cloudcommon.DeveloperMetricsDbName`). */
export const METRICS_DB = 'metrics';

/** Database of the DME's edge-events metrics (`cloudcommon.EdgeEventsMetricsDbName`). */
export const EDGE_EVENTS_METRICS_DB = 'edgeevents_metrics';

/** Metric names that go to {@link EDGE_EVENTS_METRICS_DB} (`cloudcommon.EdgeEventsMetrics`). */
const EDGE_EVENTS_METRICS: ReadonlySet<string> = new Set([
  'latency-metric',
  'device-metric',
  'custom-metric',
]);

/** The database a Metric message belongs in, by its name. */
export function metricDb(name: string): string {
  return EDGE_EVENTS_METRICS.has(name) ? EDGE_EVENTS_METRICS_DB : METRICS_DB;
}

/**
 * A Metric message as an InfluxDB point, as the original InfluxQ writes it: measurement = the
 * metric's name (`appinst-cpu`, `cluster-mem`, …), tags from `tags`, fields from `vals`
 * (double, integer, bool or string). Undefined when it has no field (InfluxDB would refuse it).
 * A metric without a timestamp gets `nowNs`.
 */
export function metricPoint(m: edgeproto.Metric, nowNs: () => string): InfluxPoint | undefined {
  const fields: Record<string, FieldValue> = {};
  for (const v of m.vals) {
    switch (v.value.case) {
      case 'dval':
      case 'bval':
      case 'sval':
        fields[v.name] = v.value.value;
        break;
      case 'ival':
        fields[v.name] = new IntField(BigInt.asIntN(64, v.value.value));
        break;
      default:
        break;
    }
  }
  if (!m.name || Object.keys(fields).length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const t of m.tags) tags[t.name] = t.val;
  const ts = m.timestamp;
  const timestampNs = ts ? (ts.seconds * 1_000_000_000n + BigInt(ts.nanos)).toString() : nowNs();
  return { measurement: m.name, tags, fields, timestampNs };
}
