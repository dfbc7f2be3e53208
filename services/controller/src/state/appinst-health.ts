import { clone, create, type Message } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import type { StateDeps } from './state-deps';
import { applyState } from './state-txn';
import { healthCheckCamel } from './states';

/** The original's `cloudcommon.AlertAppInstDown`. */
export const ALERT_APPINST_DOWN = 'AppInstDown';
/** Label of AppInstDown carrying the HealthCheck (`cloudcommon.AlertHealthCheckStatus`). */
const STATUS_LABEL = 'status';

/**
 * The HealthCheck an AppInstDown alert's `status` label names: the CamelCase name
 * (`HealthCheckServerFail`, the original's `HealthCheck_CamelValue`), or, as an old alert
 * may carry, the number. Undefined when it names none.
 */
export function healthCheckOfStatus(status: string): dme.HealthCheck | undefined {
  const values = dme.HealthCheckSchema.values;
  const byName = values.find((v) => healthCheckCamel(v.number) === status);
  if (byName) return byName.number;
  if (!/^\d+$/.test(status)) return undefined;
  return values.find((v) => v.number === Number(status))?.number;
}

/** The AppInst an alert's key labels name (`appInstSetStateFromHealthCheckAlert`); undefined if one is missing. */
export function appInstOfLabels(labels: Readonly<Record<string, string>>): edgeproto.AppInst | undefined {
  const need = ['apporg', 'app', 'appver', 'cluster', 'clusterorg', 'cloudlet', 'cloudletorg'] as const;
  if (need.some((l) => labels[l] === undefined)) return undefined;
  const l = (name: (typeof need)[number]): string => labels[name] ?? '';
  return create(edgeproto.AppInstSchema, {
    key: {
      appKey: { organization: l('apporg'), name: l('app'), version: l('appver') },
      clusterInstKey: {
        clusterKey: { name: l('cluster') },
        cloudletKey: { organization: l('cloudletorg'), name: l('cloudlet') },
        organization: l('clusterorg'),
      },
    },
  });
}

/**
 * Sets an AppInst's `health_check` in its own transaction (the original's
 * `HealthCheckUpdate`); a gone AppInst or an unchanged value is left alone, and with
 * `onlyIf` only an AppInst whose health is that value is changed.
 */
async function setHealth(
  deps: StateDeps,
  holder: edgeproto.AppInst,
  health: dme.HealthCheck,
  onlyIf?: dme.HealthCheck,
): Promise<void> {
  const type = deps.reg.get('AppInst');
  await applyState(deps, async (tx) => {
    const cur = await tx.get<edgeproto.AppInst>(type, holder);
    if (!cur || cur.healthCheck === health || (onlyIf !== undefined && cur.healthCheck !== onlyIf)) return;
    const next = clone(edgeproto.AppInstSchema, cur);
    next.healthCheck = health;
    tx.put(type, next);
  });
}

/** Called by the notify sink after it stored (`present`) or removed an info object it received. */
export type InfoChanged = (typeName: string, obj: Message, present: boolean) => Promise<void>;

/**
 * AppInst health from Shepherd's alerts (the original's `AlertApi.StoreUpdate` /
 * `StoreDelete`): when an `AppInstDown` alert is stored, the AppInst its labels name gets
 * the `health_check` its `status` label names; when it is deleted (by its sender, or by the
 * flush of the sender's connection), the AppInst is OK again — if its health is still the
 * one that alert set, so that a later cause (e.g. CLOUDLET_OFFLINE when the CRM went away)
 * is not undone by the removal of an older alert. The DME learns the health through the
 * AppInst's replication.
 */
export function appInstHealthFromAlerts(deps: StateDeps): InfoChanged {
  const log = deps.log.child({ component: 'appinst-health' });
  return async (typeName, obj, present) => {
    if (typeName !== 'Alert') return;
    const labels = (obj as edgeproto.Alert).labels;
    if (labels['alertname'] !== ALERT_APPINST_DOWN) return;
    const status = labels[STATUS_LABEL];
    const health = status === undefined ? undefined : healthCheckOfStatus(status);
    const holder = appInstOfLabels(labels);
    if (health === undefined || !holder) {
      log.info({ labels }, 'AppInstDown alert without a usable status or AppInst key labels');
      return;
    }
    try {
      if (present) await setHealth(deps, holder, health);
      else await setHealth(deps, holder, dme.HealthCheck.OK, health);
    } catch (err) {
      log.warn({ err, appInst: holder.key, health, present }, 'AppInst health not updated');
    }
  };
}
