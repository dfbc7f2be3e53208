import type { edgeproto } from '@edge/proto';
import { platformProps } from '../placement/platform-props';
import { usage, type VmResource } from '../placement/resources';
import type { ResTables } from '../placement/vmspec';

/**
 * The original's DefaultResourceAlertThreshold (percent). Its CreateCloudlet (and an
 * upgrade step) store it when a cloudlet has none, so a threshold of 0 never applies.
 */
export const DEFAULT_RESOURCE_ALERT_THRESHOLD = 80;

/** One resource's use against its limits. */
interface Use {
  value: bigint;
  infraMax: bigint;
  quotaMax: bigint;
  threshold: number;
}

/** What resource warnings are computed from. */
export interface WarningInput {
  cloudlet: edgeproto.Cloudlet;
  /** The CRM's `resources_snapshot.info`. */
  snapshot: readonly edgeproto.InfraResource[];
  /** Every VM the Controller accounts to the cloudlet. */
  all: readonly VmResource[];
  /** Those VMs whose objects the CRM's snapshot doesn't list yet. */
  diff: readonly VmResource[];
  tbls: ResTables;
  /** The snapshot lists objects the Controller doesn't have: its numbers can't be reconciled. */
  skipInfra: boolean;
}

/** A resource's alert threshold: its quota's `alert_threshold` if set, else the cloudlet's default. */
export function alertThreshold(cloudlet: edgeproto.Cloudlet, name: string): number {
  const quota = cloudlet.resourceQuotas.find((q) => q.name === name);
  if (quota && quota.alertThreshold > 0) return quota.alertThreshold;
  return cloudlet.defaultResourceAlertThreshold || DEFAULT_RESOURCE_ALERT_THRESHOLD;
}

/** Platform resources counted one per VM (the fake platforms' `Instances`); none for others. */
function perVmResources(type: edgeproto.PlatformType): readonly string[] {
  try {
    return Object.keys(platformProps(type).perVmResources);
  } catch {
    return [];
  }
}

/** Use of the common and platform resources by `vms` (the original's GetCloudletResourceInfo). */
function resourceUse(
  cloudlet: edgeproto.Cloudlet,
  vms: readonly VmResource[],
  infra: ReadonlyMap<string, edgeproto.InfraResource>,
  tbls: ResTables,
): Map<string, Use> {
  const out = new Map<string, Use>();
  for (const [name, r] of usage(cloudlet, vms, infra, tbls))
    out.set(name, { ...r, threshold: alertThreshold(cloudlet, name) });
  for (const name of perVmResources(cloudlet.platformType))
    out.set(name, {
      value: BigInt(vms.length),
      infraMax: infra.get(name)?.infraMaxValue ?? 0n,
      quotaMax: cloudlet.resourceQuotas.find((q) => q.name === name)?.value ?? 0n,
      threshold: alertThreshold(cloudlet, name),
    });
  return out;
}

/** `value` is more than `threshold` percent of `max` (the original compares as float64). */
const over = (value: bigint, max: bigint, threshold: number): boolean =>
  Number(value * 100n) / Number(max) > threshold;

/**
 * The original's resource usage warnings (validateCloudletInfraResources), each one
 * CloudletResourceUsage alert. First against what the Controller placed on the cloudlet,
 * per resource with a quota (else infra) max:
 * `[Quota] Invalid quota set for RAM, quota max value 9000 is more than infra max value 8192`,
 * `[Quota] Invalid quota set for RAM, quota max value 4096 is less than used resource value 6144`,
 * `More than 80% of RAM is used by the cloudlet`; then, unless `skipInfra`, against the
 * CRM's infra numbers plus what it doesn't report yet, per resource with an infra max:
 * `More than 80% of RAM is used on the infra managed by the cloudlet`.
 */
export function resourceWarnings(a: WarningInput): string[] {
  const infra = new Map(a.snapshot.map((r) => [r.name, r]));
  const out: string[] = [];
  for (const [name, r] of resourceUse(a.cloudlet, a.all, infra, a.tbls)) {
    const max = r.quotaMax || r.infraMax;
    if (max === 0n) continue;
    if (r.quotaMax > 0n && r.infraMax > 0n && r.quotaMax > r.infraMax)
      out.push(
        `[Quota] Invalid quota set for ${name}, quota max value ${r.quotaMax} is more than infra max value ${r.infraMax}`,
      );
    if (r.value > max)
      out.push(
        `[Quota] Invalid quota set for ${name}, quota max value ${max} is less than used resource value ${r.value}`,
      );
    if (over(r.value, max, r.threshold))
      out.push(`More than ${r.threshold}% of ${name} is used by the cloudlet`);
  }
  if (a.skipInfra) return [...new Set(out)];
  const diff = resourceUse(a.cloudlet, a.diff, infra, a.tbls);
  for (const r of a.snapshot) {
    const pending = diff.get(r.name);
    // no limit, or a resource the Controller doesn't track
    if (r.infraMaxValue === 0n || !pending) continue;
    const threshold = alertThreshold(a.cloudlet, r.name);
    if (over(r.value + pending.value, r.infraMaxValue, threshold))
      out.push(`More than ${threshold}% of ${r.name} is used on the infra managed by the cloudlet`);
  }
  return [...new Set(out)];
}
