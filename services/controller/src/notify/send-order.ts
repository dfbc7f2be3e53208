import { options, type ObjectRegistry, type ObjectType } from '@edge/proto';

const { NotifyDirection, NotifyKind } = options;

/**
 * The original Controller's send registration order (controller.go InitNotify), used only
 * to break ties between types of the same dependency level.
 */
const ORIGINAL_REGISTRATION = [
  'Settings',
  'FlowRateLimitSettings',
  'MaxReqsRateLimitSettings',
  'OperatorCode',
  'Flavor',
  'AlertPolicy',
  'GPUDriver',
  'VMPool',
  'ResTagTable',
  'TrustPolicy',
  'Cloudlet',
  'CloudletPool',
  'CloudletInfo',
  'AutoScalePolicy',
  'AutoProvPolicy',
  'Network',
  'ClusterInst',
  'App',
  'AppInst',
  'AppInstRefs',
  'Alert',
  'AppInstClientKey',
  'TrustPolicyException',
];

/**
 * The types a Controller replicates down from its region cache: stored types mirrored by
 * notify (kind CACHE, or FLUSH — info objects such as CloudletInfo are cached too and
 * wanted by DMEs) that travel down (direction DOWN or BOTH), plus stored FLUSH types
 * (CloudletInfo, Alert, AutoProvInfo), which the original Controller also sends to
 * children that want them. A child gets only the types in its want list.
 */
export function replicatedTypes(reg: ObjectRegistry): ObjectType[] {
  return reg.all().filter((t) => {
    if (!t.stored) return false;
    if (t.notifyKind === NotifyKind.FLUSH) return true;
    const down = t.notifyDirection === NotifyDirection.DOWN || t.notifyDirection === NotifyDirection.BOTH;
    return t.notifyKind === NotifyKind.CACHE && down;
  });
}

/**
 * Types a type depends on: the targets of its references, and the owner of its key when
 * it is keyed by another type's key (AppInstRefs by AppKey → App, ClusterRefs by
 * ClusterInstKey → ClusterInst; the owner of `XKey` is `X`).
 */
function dependencies(reg: ObjectRegistry, t: ObjectType): string[] {
  const deps = new Set(t.references.map((r) => r.target));
  const keyName = t.keySchema?.name;
  const owner = keyName?.endsWith('Key') ? keyName.slice(0, -3) : undefined;
  if (owner && owner !== t.name && reg.all().some((o) => o.name === owner)) deps.add(owner);
  deps.delete(t.name);
  return [...deps];
}

/**
 * The send order of every object type (the successor's NotifyOrder): level(t) =
 * 1 + max(level of what t depends on), 0 without dependencies; ties by the original's
 * registration order, then by schema order. Returns rank by short and full type name.
 */
export function sendOrder(reg: ObjectRegistry): Map<string, number> {
  const types = reg.all();
  const level = new Map<string, number>();
  const levelOf = (t: ObjectType, visiting: Set<string>): number => {
    const known = level.get(t.name);
    if (known !== undefined) return known;
    visiting.add(t.name);
    let l = 0;
    for (const d of dependencies(reg, t)) {
      if (visiting.has(d)) continue; // a cycle: ignore the back edge
      l = Math.max(l, 1 + levelOf(reg.get(d), visiting));
    }
    visiting.delete(t.name);
    level.set(t.name, l);
    return l;
  };
  const tie = (t: ObjectType): number => {
    const i = ORIGINAL_REGISTRATION.indexOf(t.name);
    return i >= 0 ? i : ORIGINAL_REGISTRATION.length + types.indexOf(t);
  };
  const sorted = [...types].sort((a, b) => levelOf(a, new Set()) - levelOf(b, new Set()) || tie(a) - tie(b));
  const out = new Map<string, number>();
  sorted.forEach((t, i) => {
    out.set(t.name, i);
    out.set(t.typeName, i);
  });
  return out;
}
