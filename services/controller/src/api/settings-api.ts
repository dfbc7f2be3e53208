import { clone, create } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { edgeproto, type ObjectType } from '@edge/proto';
import { copyPaths, updatePaths } from '../crud/field-mask';
import type { CacheView, ObjectStorePort } from '../crud/ports';
import type { RpcHandler } from '../grpc/services';

const S = 1_000_000_000n;
const M = 60n * S;
const H = 60n * M;

/** Region settings as a fresh region starts with them (reference §1.6; durations in ns). */
export function defaultSettings(): edgeproto.Settings {
  return create(edgeproto.SettingsSchema, {
    shepherdMetricsCollectionInterval: 5n * S,
    shepherdAlertEvaluationInterval: 15n * S,
    shepherdMetricsScrapeInterval: 15n * S,
    shepherdHealthCheckRetries: 3,
    shepherdHealthCheckInterval: 5n * S,
    autoDeployIntervalSec: 300,
    autoDeployOffsetSec: 20,
    autoDeployMaxIntervals: 10,
    createAppInstTimeout: 30n * M,
    updateAppInstTimeout: 30n * M,
    deleteAppInstTimeout: 20n * M,
    createClusterInstTimeout: 30n * M,
    updateClusterInstTimeout: 20n * M,
    deleteClusterInstTimeout: 20n * M,
    createCloudletTimeout: 30n * M,
    updateCloudletTimeout: 20n * M,
    masterNodeFlavor: '',
    maxTrackedDmeClients: 100,
    chefClientInterval: 600,
    influxDbMetricsRetention: 672n * H,
    cloudletMaintenanceTimeout: 300,
    updateVmPoolTimeout: 20n * M,
    updateTrustPolicyTimeout: 10n * M,
    dmeApiMetricsCollectionInterval: 30n * S,
    edgeEventsMetricsCollectionInterval: 1n * H,
    cleanupReservableAutoClusterIdletime: 30n * M,
    influxDbCloudletUsageMetricsRetention: 8760n * H,
    locationTileSideLengthKm: 2n,
    edgeEventsMetricsContinuousQueriesCollectionIntervals: [
      { interval: 24n * H, retention: 168n * H },
      { interval: 168n * H, retention: 672n * H },
      { interval: 672n * H, retention: 8064n * H },
    ],
    influxDbDownsampledMetricsRetention: 8760n * H,
    influxDbEdgeEventsMetricsRetention: 672n * H,
    appinstClientCleanupInterval: 24n * H,
    clusterAutoScaleAveragingDurationSec: 60n,
    clusterAutoScaleRetryDelay: 1n * M,
    alertPolicyMinTriggerTime: 30n * S,
    disableRateLimit: false,
    rateLimitMaxTrackedIps: 10_000n,
    resourceSnapshotThreadInterval: 10n * M,
    platformHaInstancePollInterval: 300n * 1_000_000n,
    platformHaInstanceActiveExpireTime: 1n * S,
  });
}

/** Durations and counts that must stay positive (a zero interval would spin a loop). */
const POSITIVE = [
  'shepherdMetricsCollectionInterval',
  'shepherdAlertEvaluationInterval',
  'shepherdMetricsScrapeInterval',
  'shepherdHealthCheckInterval',
  'createAppInstTimeout',
  'updateAppInstTimeout',
  'deleteAppInstTimeout',
  'createClusterInstTimeout',
  'updateClusterInstTimeout',
  'deleteClusterInstTimeout',
  'createCloudletTimeout',
  'updateCloudletTimeout',
  'dmeApiMetricsCollectionInterval',
  'resourceSnapshotThreadInterval',
] as const;

function validate(s: edgeproto.Settings): void {
  for (const f of POSITIVE) {
    if (s[f] <= 0n)
      throw invalidArgument(
        `Invalid ${f.replace(/[A-Z]/g, (c) => ` ${c}`).replace(/^./, (c) => c.toUpperCase())}, must be greater than 0`,
      );
  }
}

/** The current settings: the stored singleton, or the defaults before the first write. */
export function currentSettings(type: ObjectType, cache: CacheView): edgeproto.Settings {
  return cache.get<edgeproto.Settings>(type, create(edgeproto.SettingsSchema)) ?? defaultSettings();
}

/** UpdateSettings (field mask), ResetSettings (back to defaults), ShowSettings. */
export function settingsHandlers(
  type: ObjectType,
  store: ObjectStorePort,
  cache: CacheView,
): Record<string, RpcHandler> {
  return {
    UpdateSettings: async (req: edgeproto.Settings) => {
      const paths = updatePaths(type.schema, undefined, req.fields);
      await store.apply(async (tx) => {
        const cur = (await tx.get<edgeproto.Settings>(type, req)) ?? defaultSettings();
        const next = clone(edgeproto.SettingsSchema, cur);
        copyPaths(next, req, paths);
        next.fields = [];
        validate(next);
        tx.put(type, next);
      });
      return {};
    },
    ResetSettings: async () => {
      await store.apply(async (tx) => {
        tx.put(type, defaultSettings());
      });
      return {};
    },
    ShowSettings: async () => currentSettings(type, cache),
  };
}
