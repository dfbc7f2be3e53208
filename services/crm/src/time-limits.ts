import { edgeproto } from '@edge/proto';
import type { TimeLimitField } from './kinds';

const NS_PER_MS = 1_000_000n;
const MIN = 60_000;

/** The original's defaults (edgeproto/settings.go), used until Settings arrive. */
const DEFAULT_MS: Readonly<Record<TimeLimitField | 'resourceSnapshotThreadInterval', number>> = {
  createClusterInstTimeout: 30 * MIN,
  updateClusterInstTimeout: 20 * MIN,
  deleteClusterInstTimeout: 20 * MIN,
  createAppInstTimeout: 30 * MIN,
  updateAppInstTimeout: 30 * MIN,
  deleteAppInstTimeout: 20 * MIN,
  resourceSnapshotThreadInterval: 10 * MIN,
};

/** Settings as the CRM received them (the singleton's key JSON is empty). */
export function settingsOf(get: (type: string, key: string) => unknown): edgeproto.Settings | undefined {
  return get(edgeproto.SettingsSchema.typeName, '') as edgeproto.Settings | undefined;
}

/**
 * How long an operation may take: the cloudlet's `time_limits` when set, else the region
 * Settings, else the original's defaults (durations are ns in both).
 */
export function opTimeLimitMs(
  field: TimeLimitField,
  settings: edgeproto.Settings | undefined,
  cloudlet: edgeproto.Cloudlet | undefined,
): number {
  const own = cloudlet?.timeLimits?.[field] ?? 0n;
  if (own > 0n) return Number(own / NS_PER_MS);
  const region = settings?.[field] ?? 0n;
  if (region > 0n) return Number(region / NS_PER_MS);
  return DEFAULT_MS[field];
}

/** Period of the resource snapshot refresh (Settings.resource_snapshot_thread_interval). */
export function resourceSnapshotIntervalMs(settings: edgeproto.Settings | undefined): number {
  const ns = settings?.resourceSnapshotThreadInterval ?? 0n;
  return ns > 0n ? Number(ns / NS_PER_MS) : DEFAULT_MS.resourceSnapshotThreadInterval;
}

/** `1h30m`, `20m`, `45s`, `250ms` (Go's Duration.String, shortened). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}
