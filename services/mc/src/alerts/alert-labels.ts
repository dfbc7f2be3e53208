import type { edgeproto } from '@edge/proto';

/** The alerts users are notified of (the original's `cloudcommon.IsInternalAlert` is false for these). */
const USER_ALERTS: ReadonlySet<string> = new Set([
  'AppInstDown',
  'CloudletDown',
  'CloudletResourceUsage',
  'ClusterSvcAppInstFailure',
]);

/** Severity of an alert that carries no `severity` label (the original's `AlertSeverityValues`). */
const DEFAULT_SEVERITY: Readonly<Record<string, string>> = {
  AppInstDown: 'error',
  CloudletDown: 'error',
  CloudletResourceUsage: 'warning',
  ClusterSvcAppInstFailure: 'error',
};

/** Labels kept from users (the original's `IsLabelInternal`). */
const INTERNAL_LABELS: ReadonlySet<string> = new Set(['instance', 'job', 'type']);

/** Valid receiver/alert severities, lowest first. */
export const SEVERITIES = ['info', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The original's `GetSeverityForAlert`: the default severity by alert name (`info` for others). */
export function severityForAlert(alertname: string): string {
  return DEFAULT_SEVERITY[alertname] ?? 'info';
}

/**
 * Whether an alert stays inside the platform (autoscale, auto-provisioning, …) rather than
 * going to Alertmanager: everything but the four platform alerts and user-defined ones.
 */
export function isInternalAlert(labels: Readonly<Record<string, string>>): boolean {
  if (USER_ALERTS.has(labels['alertname'] ?? '')) return false;
  return labels['type'] !== 'UserDefined';
}

/** One alert as Alertmanager's `POST /api/v2/alerts` takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt: string;
}

/**
 * An Alertmanager alert for a Controller's alert, or undefined for internal ones: labels
 * without `instance`/`job`/`type`, plus `region` (when the Controller did not set it) and
 * `severity` (by name when absent); `endsAt` is when Alertmanager should consider it
 * resolved unless it is sent again.
 */
export function toPostableAlert(
  alert: edgeproto.Alert,
  region: string,
  endsAt: Date,
): PostableAlert | undefined {
  const name = alert.labels['alertname'];
  if (!name || isInternalAlert(alert.labels)) return undefined;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(alert.labels)) if (!INTERNAL_LABELS.has(k)) labels[k] = v;
  if (!labels['region'] && region) labels['region'] = region;
  if (!labels['severity']) labels['severity'] = severityForAlert(name);
  const out: PostableAlert = { labels, annotations: { ...alert.annotations }, endsAt: endsAt.toISOString() };
  const at = alert.activeAt;
  if (at && (at.seconds > 0n || at.nanos > 0)) {
    out.startsAt = new Date(Number(at.seconds) * 1000 + Math.floor(at.nanos / 1e6)).toISOString();
  }
  return out;
}
