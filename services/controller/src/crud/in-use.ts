import { failedPrecondition, type EdgeError } from '@edge/errors';
import type { Referrer } from './references';

interface InUseRule {
  /** How the message names the deleted object: `Flavor`, `Application`, `Policy`, `Alert is`. */
  label: string;
  /** Referrer types in the order the original checks them; others after, by name. */
  order?: string[];
  /** How the message names a referrer type, e.g. `static AppInst`. Default: the type name. */
  names?: Record<string, string>;
  /** Referrer types listed all at once, joined with ", ". */
  joined?: string[];
  /** Messages that don't follow `<label> in use by <Type> <key>`. */
  custom?: Record<string, (r: Referrer) => string>;
}

const RULES: Record<string, InUseRule> = {
  Flavor: {
    label: 'Flavor',
    order: ['Settings', 'ClusterInst', 'App', 'AppInst', 'Cloudlet'],
    custom: {
      Settings: () => 'Flavor in use by Settings MasterNodeFlavor, change Settings.MasterNodeFlavor first',
    },
  },
  App: {
    label: 'Application',
    order: ['AppInst', 'TrustPolicyException'],
    names: { AppInst: 'static AppInst', TrustPolicyException: 'Trust Policy Exception' },
  },
  ClusterInst: { label: 'ClusterInst' },
  Cloudlet: {
    label: 'Cloudlet',
    order: ['ClusterInst', 'AppInst', 'AutoProvPolicy', 'CloudletPool', 'Network'],
    joined: ['AutoProvPolicy', 'CloudletPool'],
    custom: {
      ClusterInst: (r) => {
        const o = r.obj as unknown as {
          key?: { clusterKey?: { name?: string }; organization?: string };
          reservedBy?: string;
        };
        const name = o.key?.clusterKey?.name ?? '';
        return o.reservedBy
          ? `Cloudlet in use by ClusterInst name ${name}, reserved by Organization ${o.reservedBy}`
          : `Cloudlet in use by ClusterInst name ${name} Organization ${o.key?.organization ?? ''}`;
      },
    },
  },
  AutoProvPolicy: { label: 'Policy' },
  AutoScalePolicy: { label: 'Policy' },
  TrustPolicy: { label: 'Policy' },
  ResTagTable: { label: 'ResTagTable' },
  VMPool: { label: 'VM pool', custom: { Cloudlet: () => 'VM pool in use by Cloudlet' } },
  Network: { label: 'Network' },
  AlertPolicy: { label: 'Alert is' },
  CloudletPool: { label: 'CloudletPool', names: { TrustPolicyException: 'Trust Policy Exception' } },
};

/**
 * The refusal of a delete whose object is still referred to, worded as the original
 * (`Flavor in use by App {…}`, `Cloudlet in use by ClusterInst name c Organization o`),
 * or undefined when nothing refers to it.
 */
export function inUseError(targetType: string, referrers: readonly Referrer[]): EdgeError | undefined {
  if (referrers.length === 0) return undefined;
  const rule = RULES[targetType] ?? { label: targetType };
  const rank = (t: string): number => {
    const i = rule.order?.indexOf(t) ?? -1;
    return i < 0 ? 1000 : i;
  };
  const sorted = [...referrers].sort(
    (a, b) => rank(a.type.name) - rank(b.type.name) || a.type.name.localeCompare(b.type.name),
  );
  const first = sorted[0] as Referrer;
  const custom = rule.custom?.[first.type.name];
  if (custom) return failedPrecondition(custom(first));
  const name = rule.names?.[first.type.name] ?? first.type.name;
  const keys = rule.joined?.includes(first.type.name)
    ? sorted.filter((r) => r.type.name === first.type.name).map((r) => r.type.keyJson(r.obj))
    : [first.type.keyJson(first.obj)];
  return failedPrecondition(`${rule.label} in use by ${name} ${keys.join(', ')}`);
}
