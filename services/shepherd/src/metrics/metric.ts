import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { edgeproto } from '@edge/proto';

/** A Metric message named `name` at `tsMs`, with `tags` in the given order. */
export function newMetric(
  name: string,
  tsMs: number,
  tags: readonly (readonly [string, string])[],
): edgeproto.Metric {
  return create(edgeproto.MetricSchema, {
    name,
    timestamp: timestampFromMs(tsMs),
    tags: tags.map(([n, val]) => ({ name: n, val })),
  });
}

/** Adds a double field (the original's AddDoubleVal). */
export function addDouble(m: edgeproto.Metric, name: string, value: number): void {
  m.vals.push(create(edgeproto.MetricValSchema, { name, value: { case: 'dval', value } }));
}

/** Adds an unsigned integer field (AddIntVal); negative or fractional values are clamped and rounded. */
export function addInt(m: edgeproto.Metric, name: string, value: number): void {
  const v = BigInt(Math.max(0, Math.round(value)));
  m.vals.push(create(edgeproto.MetricValSchema, { name, value: { case: 'ival', value: v } }));
}

/** Adds a string field (AddStringVal). */
export function addString(m: edgeproto.Metric, name: string, value: string): void {
  m.vals.push(create(edgeproto.MetricValSchema, { name, value: { case: 'sval', value } }));
}
