import type { ObjectRegistry } from '@edge/proto';

/**
 * Dependency rank of each object type (full proto name), for the order of sends to
 * Shepherd: a type ranks one above the highest type it refers to, so Flavor and App go
 * before AppInst, Cloudlet before ClusterInst. Unknown types rank 0.
 */
export function typeOrder(reg: ObjectRegistry): (type: string) => number {
  const byName = new Map(reg.all().map((t) => [t.name, t]));
  const ranks = new Map<string, number>();
  const rank = (name: string, seen: Set<string>): number => {
    const known = ranks.get(name);
    if (known !== undefined) return known;
    const t = byName.get(name);
    if (!t || seen.has(name)) return 0;
    seen.add(name);
    let r = 0;
    for (const ref of t.references) if (ref.target !== name) r = Math.max(r, rank(ref.target, seen) + 1);
    ranks.set(name, r);
    return r;
  };
  const byTypeName = new Map(reg.all().map((t) => [t.typeName, rank(t.name, new Set())]));
  return (type) => byTypeName.get(type) ?? 0;
}
