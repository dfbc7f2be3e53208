import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import type { ObjectTxn } from '../crud/ports';
import { rootLbFlavor } from '../placement/cluster-create';
import { placementTypes, timestamp, txGet, type PlacementTypes } from '../placement/context';
import { cloudletVms } from '../placement/resources';
import { resTables } from '../placement/vmspec';
import { resourceWarnings } from './resource-warnings';
import type { StateDeps } from './state-deps';
import { applyState } from './state-txn';

/** The original's `cloudcommon.AlertCloudletResourceUsage`. */
export const ALERT_CLOUDLET_RESOURCE_USAGE = 'CloudletResourceUsage';

/**
 * One warning's alert (the original's CloudletResourceUsageAlerts): labels alertname,
 * scope Cloudlet, cloudlet, cloudletorg, `warning` (the text, so one alert per warning),
 * region, severity warning; annotations title and description (the warning).
 */
function usageAlert(deps: StateDeps, key: edgeproto.CloudletKey, warning: string): edgeproto.Alert {
  return create(edgeproto.AlertSchema, {
    labels: {
      alertname: ALERT_CLOUDLET_RESOURCE_USAGE,
      scope: 'Cloudlet',
      cloudlet: key.name,
      cloudletorg: key.organization,
      warning,
      region: deps.region,
      severity: 'warning',
    },
    annotations: { title: ALERT_CLOUDLET_RESOURCE_USAGE, description: warning },
    state: 'firing',
    activeAt: timestamp(deps.now()),
  });
}

/** The cloudlet's CloudletResourceUsage alerts, from the cache. */
function cachedUsageAlerts(deps: StateDeps, key: edgeproto.CloudletKey): edgeproto.Alert[] {
  return deps.cache
    .list<edgeproto.Alert>(deps.reg.get('Alert'))
    .filter(
      (a) =>
        a.labels['alertname'] === ALERT_CLOUDLET_RESOURCE_USAGE &&
        a.labels['cloudlet'] === key.name &&
        a.labels['cloudletorg'] === key.organization,
    );
}

/** Whether the CRM's snapshot lists ClusterInsts or AppInsts the Controller doesn't have. */
async function crmKnowsMore(
  t: PlacementTypes,
  tx: ObjectTxn,
  key: edgeproto.CloudletKey,
  snap: edgeproto.InfraResourcesSnapshot,
): Promise<boolean> {
  for (const k of snap.clusterInsts) {
    const ciKey = { clusterKey: k.clusterKey, cloudletKey: key, organization: k.organization };
    if (!(await txGet(tx, t.ClusterInst, ciKey))) return true;
  }
  for (const k of [...snap.vmAppInsts, ...snap.k8sAppInsts]) {
    const clusterInstKey = { ...k.clusterInstKey, cloudletKey: key };
    if (!(await txGet(tx, t.AppInst, { appKey: k.appKey, clusterInstKey }))) return true;
  }
  return false;
}

/**
 * The cloudlet's resource warnings now, or undefined when they can't be judged (no
 * Cloudlet, no READY CloudletInfo, or its objects can't be accounted: alerts stay as is).
 */
async function currentWarnings(
  deps: StateDeps,
  t: PlacementTypes,
  tx: ObjectTxn,
  key: edgeproto.CloudletKey,
): Promise<string[] | undefined> {
  const cloudlet = await txGet<edgeproto.Cloudlet>(tx, t.Cloudlet, key);
  const info = await txGet<edgeproto.CloudletInfo>(tx, t.CloudletInfo, key);
  if (!cloudlet || info?.state !== dme.CloudletState.READY) return undefined;
  const refs =
    (await txGet<edgeproto.CloudletRefs>(tx, t.CloudletRefs, key)) ??
    create(edgeproto.CloudletRefsSchema, { key });
  const snap = info.resourcesSnapshot ?? create(edgeproto.InfraResourcesSnapshotSchema);
  try {
    const { all, diff } = await cloudletVms({ t }, tx, { cloudlet, info, refs, lb: rootLbFlavor() });
    const tbls = await resTables(cloudlet, (k) => txGet(tx, t.ResTagTable, k));
    const skipInfra = await crmKnowsMore(t, tx, key, snap);
    return resourceWarnings({ cloudlet, snapshot: snap.info, all, diff, tbls, skipInfra });
  } catch (err) {
    deps.log.info({ err, cloudlet: t.Cloudlet.keyJson(cloudlet) }, 'Failed to validate cloudlet resources');
    return undefined;
  }
}

/**
 * Raises and clears the cloudlet's CloudletResourceUsage alerts (the original's
 * handleResourceUsageAlerts after validating a READY CloudletInfo): one alert per
 * current warning, stored only when not there yet (its active_at stays), and those of
 * warnings that no longer hold deleted; nothing written when nothing changed. Failures
 * are logged, never thrown: the report that triggered it is handled regardless.
 */
export async function syncResourceAlerts(
  deps: StateDeps,
  key: edgeproto.CloudletKey | undefined,
): Promise<void> {
  if (!key) return;
  const t = placementTypes(deps);
  const alertType = deps.reg.get('Alert');
  const cloudlet = t.Cloudlet.keyJson(create(edgeproto.CloudletSchema, { key }));
  try {
    const changed = await applyState(deps, async (tx) => {
      const warnings = await currentWarnings(deps, t, tx, key);
      if (!warnings) return { raised: [], cleared: [] };
      const want = new Map(warnings.map((w) => [w, usageAlert(deps, key, w)]));
      const cleared: string[] = [];
      for (const a of cachedUsageAlerts(deps, key)) {
        const w = a.labels['warning'] ?? '';
        const wanted = want.get(w);
        if (wanted && alertType.keyJson(wanted) === alertType.keyJson(a)) continue;
        if (!(await tx.get(alertType, a))) continue;
        tx.delete(alertType, a);
        cleared.push(w);
      }
      const raised: string[] = [];
      for (const [w, a] of want) {
        if (await tx.get(alertType, a)) continue;
        tx.put(alertType, a);
        raised.push(w);
      }
      return { raised, cleared };
    });
    if (changed.raised.length > 0 || changed.cleared.length > 0)
      deps.log.info({ cloudlet, ...changed }, 'CloudletResourceUsage alerts changed');
  } catch (err) {
    deps.log.warn({ err, cloudlet }, 'CloudletResourceUsage alert update failed');
  }
}

/** The cloudlet is gone: its CloudletResourceUsage alerts go too (part of CleanupCloudletAlerts). */
export async function clearResourceAlerts(
  deps: StateDeps,
  key: edgeproto.CloudletKey | undefined,
): Promise<void> {
  if (!key) return;
  const alertType = deps.reg.get('Alert');
  const stale = cachedUsageAlerts(deps, key);
  if (stale.length === 0) return;
  await applyState(deps, async (tx) => {
    for (const a of stale) tx.delete(alertType, a);
  });
}
