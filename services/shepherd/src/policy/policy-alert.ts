import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import {
  ALERT_TYPE_USER_DEFINED,
  ANNOTATION_DESCRIPTION,
  ANNOTATION_TITLE,
  LABEL_ALERTNAME,
  LABEL_REGION,
  LABEL_SCOPE,
  LABEL_SEVERITY,
  LABEL_TYPE,
  SCOPE_APPLICATION,
  appInstKeyTags,
  timestampOf,
} from '../alerts/alert-names';
import type { AppStats } from '../metrics/stats-source';

const MB = 1024 * 1024;
const GB = 1024 * MB;

/**
 * The figures an AlertPolicy compares, from one sample: CPU percent, memory and disk in
 * percent of the AppInst's flavor (RAM MB, disk GB), and active connections over all
 * ports. A figure that cannot be computed (no sample, no flavor) is undefined.
 */
export interface PolicyFigures {
  readonly cpu?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly activeConns?: number;
}

export function policyFigures(s: AppStats, flavor: edgeproto.Flavor | undefined): PolicyFigures {
  const ramBytes = Number(flavor?.ram ?? 0n) * MB;
  const diskBytes = Number(flavor?.disk ?? 0n) * GB;
  return {
    ...(s.cpu !== undefined ? { cpu: s.cpu } : {}),
    ...(s.mem !== undefined && ramBytes > 0 ? { mem: (s.mem / ramBytes) * 100 } : {}),
    ...(s.disk !== undefined && diskBytes > 0 ? { disk: (s.disk / diskBytes) * 100 } : {}),
    ...(s.connections ? { activeConns: s.connections.reduce((n, p) => n + p.active, 0) } : {}),
  };
}

/**
 * Whether the policy's condition holds: every limit it sets is exceeded (the original
 * joins them with `and`); a policy without limits never fires. Returns the figure of the
 * first limit (the alert's value), or undefined when the condition does not hold.
 */
export function policyBreach(p: edgeproto.AlertPolicy, f: PolicyFigures): number | undefined {
  const checks: [number, number | undefined][] = [];
  if (p.cpuUtilizationLimit) checks.push([p.cpuUtilizationLimit, f.cpu]);
  if (p.memUtilizationLimit) checks.push([p.memUtilizationLimit, f.mem]);
  if (p.diskUtilizationLimit) checks.push([p.diskUtilizationLimit, f.disk]);
  if (p.activeConnLimit) checks.push([p.activeConnLimit, f.activeConns]);
  if (checks.length === 0) return undefined;
  if (!checks.every(([limit, v]) => v !== undefined && v > limit)) return undefined;
  return checks[0]?.[1];
}

/** The original's default description (`getAlertPolicyDescription`). */
export function policyDescription(p: edgeproto.AlertPolicy): string {
  if (p.description) return p.description;
  const parts: string[] = [];
  if (p.cpuUtilizationLimit) parts.push(`CPU Utilization > ${p.cpuUtilizationLimit}%`);
  if (p.memUtilizationLimit) parts.push(`Memory Utilization > ${p.memUtilizationLimit}%`);
  if (p.diskUtilizationLimit) parts.push(`Disk Utilization > ${p.diskUtilizationLimit}%`);
  if (p.activeConnLimit) parts.push(`Number of active connections > ${p.activeConnLimit}`);
  return parts.join(' and ');
}

/**
 * The alert of a policy firing for an AppInst, labelled as the original's rule
 * (`getPromAlertFromEdgeprotoAlert`): the policy's labels, then scope Application, type
 * UserDefined, the policy's severity and the AppInst key tags; alertname = the policy
 * name; plus region. Annotations: the policy's, with title and description defaulted.
 */
export function policyAlert(
  p: edgeproto.AlertPolicy,
  ai: edgeproto.AppInst,
  region: string,
  activeAtMs: number,
  value: number,
): edgeproto.Alert {
  const name = p.key?.name ?? '';
  return create(edgeproto.AlertSchema, {
    labels: {
      ...p.labels,
      [LABEL_SCOPE]: SCOPE_APPLICATION,
      [LABEL_TYPE]: ALERT_TYPE_USER_DEFINED,
      [LABEL_SEVERITY]: p.severity || 'info',
      ...appInstKeyTags(ai.key),
      [LABEL_ALERTNAME]: name,
      [LABEL_REGION]: region,
    },
    annotations: {
      ...p.annotations,
      [ANNOTATION_TITLE]: p.annotations[ANNOTATION_TITLE] ?? name,
      [ANNOTATION_DESCRIPTION]: p.annotations[ANNOTATION_DESCRIPTION] ?? policyDescription(p),
    },
    state: 'firing',
    activeAt: timestampOf(activeAtMs),
    value,
  });
}
