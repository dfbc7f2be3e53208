import { dme, type edgeproto } from '@edge/proto';

/** Alert names, labels and texts of the original (cloudcommon/alertnames.go, shepherd/cloudlet-prom.go). */
export const ALERT_APPINST_DOWN = 'AppInstDown';
export const ALERT_TYPE_USER_DEFINED = 'UserDefined';
export const LABEL_ALERTNAME = 'alertname';
export const LABEL_REGION = 'region';
export const LABEL_SCOPE = 'scope';
export const LABEL_SEVERITY = 'severity';
export const LABEL_TYPE = 'type';
/** Label of AppInstDown carrying the HealthCheck value (CamelCase name). */
export const LABEL_STATUS = 'status';
export const SCOPE_APPLICATION = 'Application';
export const SEVERITY_ERROR = 'error';
export const ANNOTATION_TITLE = 'title';
export const ANNOTATION_DESCRIPTION = 'description';
export const DESCRIPTION_SERVER_FAIL = 'Application server port is not responding';
export const DESCRIPTION_ROOTLB_OFFLINE = 'Root Load Balancer is not responding';

/** The original's `AppInstKey.GetTags()`: app, appver, apporg, cluster, clusterorg, cloudlet, cloudletorg. */
export function appInstKeyTags(key: edgeproto.AppInstKey | undefined): Record<string, string> {
  const c = key?.clusterInstKey;
  return {
    app: key?.appKey?.name ?? '',
    appver: key?.appKey?.version ?? '',
    apporg: key?.appKey?.organization ?? '',
    cluster: c?.clusterKey?.name ?? '',
    clusterorg: c?.organization ?? '',
    cloudlet: c?.cloudletKey?.name ?? '',
    cloudletorg: c?.cloudletKey?.organization ?? '',
  };
}

/** The original's `HealthCheck_CamelName`: `HEALTH_CHECK_SERVER_FAIL` → `HealthCheckServerFail`. */
export function healthCheckCamel(h: dme.HealthCheck): string {
  const name = dme.HealthCheckSchema.values.find((v) => v.number === h)?.name ?? String(h);
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** A dme.Timestamp of `ms` since the epoch. */
export function timestampOf(ms: number): { seconds: bigint; nanos: number } {
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}
