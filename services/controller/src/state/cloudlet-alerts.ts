import { clone, create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import type { StateDeps } from './state-deps';
import { healthCheckCamel } from './states';
import { applyState } from './state-txn';

/** The original's `cloudcommon.AlertCloudletDownDescription`. */
export const CLOUDLET_DOWN_DESCRIPTION = 'Cloudlet resource manager is offline';

/** The original's dme.Timestamp of a date. */
function stamp(d: Date): { seconds: bigint; nanos: number } {
  const ms = d.getTime();
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

const sameCloudlet = (a: edgeproto.CloudletKey | undefined, b: edgeproto.CloudletKey | undefined): boolean =>
  (a?.organization ?? '') === (b?.organization ?? '') && (a?.name ?? '') === (b?.name ?? '');

/** The AppInsts on a cloudlet, from the cache. */
function appInstsOn(deps: StateDeps, key: edgeproto.CloudletKey | undefined): edgeproto.AppInst[] {
  return deps.cache
    .list<edgeproto.AppInst>(deps.reg.get('AppInst'))
    .filter((ai) => sameCloudlet(ai.key?.clusterInstKey?.cloudletKey, key));
}

function cloudletDownAlert(deps: StateDeps, key: edgeproto.CloudletKey | undefined): edgeproto.Alert {
  return create(edgeproto.AlertSchema, {
    labels: {
      alertname: 'CloudletDown',
      scope: 'Cloudlet',
      cloudlet: key?.name ?? '',
      cloudletorg: key?.organization ?? '',
      region: deps.region,
      severity: 'error',
    },
    annotations: { title: 'CloudletDown', description: CLOUDLET_DOWN_DESCRIPTION },
    state: 'firing',
    activeAt: stamp(deps.now()),
  });
}

function appInstDownAlert(deps: StateDeps, ai: edgeproto.AppInst): edgeproto.Alert {
  const k = ai.key;
  return create(edgeproto.AlertSchema, {
    labels: {
      alertname: 'AppInstDown',
      app: k?.appKey?.name ?? '',
      apporg: k?.appKey?.organization ?? '',
      appver: k?.appKey?.version ?? '',
      cluster: k?.clusterInstKey?.clusterKey?.name ?? '',
      clusterorg: k?.clusterInstKey?.organization ?? '',
      cloudlet: k?.clusterInstKey?.cloudletKey?.name ?? '',
      cloudletorg: k?.clusterInstKey?.cloudletKey?.organization ?? '',
      status: healthCheckCamel(dme.HealthCheck.CLOUDLET_OFFLINE),
      scope: 'Application',
      region: deps.region,
      severity: 'error',
    },
    annotations: { title: 'AppInstDown', description: 'AppInst down due to cloudlet offline' },
    state: 'firing',
    activeAt: stamp(deps.now()),
  });
}

/** Sets an AppInst's health_check (in its own transaction; gone AppInsts are skipped). */
async function setHealth(
  deps: StateDeps,
  ai: edgeproto.AppInst,
  health: dme.HealthCheck,
  onlyIf?: dme.HealthCheck,
): Promise<void> {
  const type = deps.reg.get('AppInst');
  await applyState(deps, async (tx) => {
    const cur = await tx.get<edgeproto.AppInst>(type, ai);
    if (!cur || cur.healthCheck === health || (onlyIf !== undefined && cur.healthCheck !== onlyIf)) return;
    const next = clone(edgeproto.AppInstSchema, cur);
    next.healthCheck = health;
    tx.put(type, next);
  });
}

/**
 * The CRM of a READY cloudlet went away (the original's `FireCloudletAndAppInstDownAlerts`):
 * a `CloudletDown` alert, and per AppInst an `AppInstDown` alert with status
 * HealthCheckCloudletOffline and health_check CLOUDLET_OFFLINE.
 */
export async function fireCloudletDown(
  deps: StateDeps,
  key: edgeproto.CloudletKey | undefined,
): Promise<void> {
  const alertType = deps.reg.get('Alert');
  await applyState(deps, async (tx) => void tx.put(alertType, cloudletDownAlert(deps, key)));
  for (const ai of appInstsOn(deps, key)) {
    await applyState(deps, async (tx) => void tx.put(alertType, appInstDownAlert(deps, ai)));
    await setHealth(deps, ai, dme.HealthCheck.CLOUDLET_OFFLINE);
  }
}

/**
 * The cloudlet's CRM is back (or the cloudlet is gone): its CloudletDown and the
 * cloudlet-offline AppInstDown alerts are removed, and AppInsts marked CLOUDLET_OFFLINE
 * are OK again (the original resets health on the alert's delete).
 */
export async function clearCloudletDown(
  deps: StateDeps,
  key: edgeproto.CloudletKey | undefined,
): Promise<void> {
  const alertType = deps.reg.get('Alert');
  const offline = healthCheckCamel(dme.HealthCheck.CLOUDLET_OFFLINE);
  const mine = deps.cache.list<edgeproto.Alert>(alertType).filter((a) => {
    const l = a.labels;
    if (l['cloudlet'] !== (key?.name ?? '') || l['cloudletorg'] !== (key?.organization ?? '')) return false;
    return l['alertname'] === 'CloudletDown' || (l['alertname'] === 'AppInstDown' && l['status'] === offline);
  });
  for (const a of mine) await applyState(deps, async (tx) => void tx.delete(alertType, a));
  for (const ai of appInstsOn(deps, key))
    await setHealth(deps, ai, dme.HealthCheck.OK, dme.HealthCheck.CLOUDLET_OFFLINE);
}
