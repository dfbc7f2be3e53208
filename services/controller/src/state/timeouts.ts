import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { currentSettings } from '../api/settings-api';
import type { StateDeps } from './state-deps';

/** The operations whose CRM wait is limited by Settings. */
export type TimedOp =
  | 'createAppInstTimeout'
  | 'updateAppInstTimeout'
  | 'deleteAppInstTimeout'
  | 'createClusterInstTimeout'
  | 'updateClusterInstTimeout'
  | 'deleteClusterInstTimeout'
  | 'createCloudletTimeout'
  | 'updateCloudletTimeout';

const NS_PER_MS = 1_000_000n;

/**
 * How long (ms) to wait for the CRM: the cloudlet's `time_limits` for that operation when
 * set (AppInst/ClusterInst only), else the region Settings (durations in ns).
 */
export function timeoutMs(deps: StateDeps, op: TimedOp, cloudletKey?: edgeproto.CloudletKey): number {
  let ns = currentSettings(deps.reg.get('Settings'), deps.cache)[op];
  if (cloudletKey && op !== 'createCloudletTimeout' && op !== 'updateCloudletTimeout') {
    const cloudlet = deps.cache.get<edgeproto.Cloudlet>(
      deps.reg.get('Cloudlet'),
      create(edgeproto.CloudletSchema, { key: cloudletKey }),
    );
    const limit = cloudlet?.timeLimits?.[op] ?? 0n;
    if (limit > 0n) ns = limit;
  }
  return Math.max(1, Number(ns / NS_PER_MS));
}
