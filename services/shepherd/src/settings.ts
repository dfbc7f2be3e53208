import type { edgeproto } from '@edge/proto';

/** The Settings a Shepherd runs by, in milliseconds. */
export interface ShepherdIntervals {
  /** Period of the TCP health checks (shepherd_health_check_interval). */
  readonly healthCheckMs: number;
  /** Consecutive failed checks before an AppInst is down (shepherd_health_check_retries). */
  readonly healthCheckRetries: number;
  /** Period of metrics collection and alert-policy evaluation (shepherd_metrics_collection_interval). */
  readonly collectionMs: number;
}

/** The original's defaults (edgeproto/settings.go), used until Settings arrive and for zero fields. */
export const DEFAULT_INTERVALS: ShepherdIntervals = {
  healthCheckMs: 5000,
  healthCheckRetries: 3,
  collectionMs: 5000,
};

/** Shortest period accepted, so a bad setting cannot spin a loop. */
const MIN_MS = 10;

const ms = (ns: bigint, fallback: number): number =>
  ns > 0n ? Math.max(MIN_MS, Number(ns / 1_000_000n)) : fallback;

/** The intervals of `settings` (nanosecond durations), defaults where unset. */
export function shepherdIntervals(settings: edgeproto.Settings | undefined): ShepherdIntervals {
  if (!settings) return DEFAULT_INTERVALS;
  return {
    healthCheckMs: ms(settings.shepherdHealthCheckInterval, DEFAULT_INTERVALS.healthCheckMs),
    healthCheckRetries:
      settings.shepherdHealthCheckRetries > 0
        ? settings.shepherdHealthCheckRetries
        : DEFAULT_INTERVALS.healthCheckRetries,
    collectionMs: ms(settings.shepherdMetricsCollectionInterval, DEFAULT_INTERVALS.collectionMs),
  };
}
