import { create } from '@bufbuild/protobuf';
import { dme } from '@edge/proto';

/** Upper bounds (ms) of the latency histogram buckets sent in `latency-metric`, named as the original. */
export const LATENCY_BUCKETS: readonly { name: string; upToMs: number }[] = [
  { name: '0s', upToMs: 5 },
  { name: '5ms', upToMs: 10 },
  { name: '10ms', upToMs: 25 },
  { name: '25ms', upToMs: 50 },
  { name: '50ms', upToMs: 100 },
  { name: '100ms', upToMs: Infinity },
];

/**
 * Statistics of one batch of latency samples as the original's CalculateStatistics: min/max
 * ignore nothing, variance is the sample variance (n-1); fewer than two samples → 0.
 */
export function computeStatistics(values: readonly number[], nowMs: number): dme.Statistics {
  const n = values.length;
  let sum = 0;
  let min = 0;
  let max = 0;
  for (const v of values) {
    sum += v;
    if (min === 0 || v < min) min = v;
    if (max === 0 || v > max) max = v;
  }
  const avg = n > 0 ? sum / n : 0;
  let sq = 0;
  for (const v of values) sq += (v - avg) * (v - avg);
  const variance = n > 1 ? sq / (n - 1) : 0;
  return create(dme.StatisticsSchema, {
    avg,
    min,
    max,
    stdDev: Math.sqrt(variance),
    variance,
    numSamples: BigInt(n),
    timestamp: { seconds: BigInt(Math.floor(nowMs / 1000)), nanos: (nowMs % 1000) * 1_000_000 },
  });
}

/**
 * Running statistics over many batches (Welford), for the per-tile `latency-metric`, plus the
 * bucket counts.
 */
export class RollingStats {
  n = 0;
  avg = 0;
  min = 0;
  max = 0;
  private m2 = 0;
  readonly buckets = new Array<number>(LATENCY_BUCKETS.length).fill(0);

  add(values: readonly number[]): void {
    for (const v of values) {
      this.n++;
      const d = v - this.avg;
      this.avg += d / this.n;
      this.m2 += d * (v - this.avg);
      if (this.min === 0 || v < this.min) this.min = v;
      if (this.max === 0 || v > this.max) this.max = v;
      const i = LATENCY_BUCKETS.findIndex((b) => v < b.upToMs);
      this.buckets[i < 0 ? LATENCY_BUCKETS.length - 1 : i]!++;
    }
  }

  get variance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : 0;
  }
}
