import { clone, create } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import type { ObjectTxn } from '../crud/ports';
import { rootLbFlavor } from '../placement/cluster-create';
import { txGet, type PlacementContext } from '../placement/context';
import { goCloudletKey } from '../placement/names';
import { platformProps } from '../placement/platform-props';
import { cloudletRefs } from '../placement/refs';
import { cloudletVms, usage, type VmResource } from '../placement/resources';
import { resTables, type ResTables } from '../placement/vmspec';

type InfraResource = edgeproto.InfraResource;

/** Platform resources counted one per VM (the fake platforms' `Instances`); none for other platforms. */
function perVmResources(type: edgeproto.PlatformType): Readonly<Record<string, string>> {
  try {
    return platformProps(type).perVmResources;
  } catch {
    return {};
  }
}

/**
 * The original's GetResourceUsage: the CRM's snapshot entries (values kept only for
 * infra usage), plus what `vms` use of the common and platform resources, with quotas
 * and alert thresholds of the cloudlet; sorted by name.
 */
function resourceUsage(
  cloudlet: edgeproto.Cloudlet,
  snapshot: readonly InfraResource[],
  vms: readonly VmResource[],
  infraUsage: boolean,
  tbls: ResTables,
): InfraResource[] {
  const quotas = new Map(cloudlet.resourceQuotas.map((q) => [q.name, q]));
  const quotaMax = (name: string): bigint => quotas.get(name)?.value ?? 0n;
  const threshold = (name: string): number => {
    const t = quotas.get(name)?.alertThreshold ?? 0;
    return t > 0 ? t : cloudlet.defaultResourceAlertThreshold;
  };
  const out = new Map<string, InfraResource>();
  for (const r of snapshot) {
    const res = clone(edgeproto.InfraResourceSchema, r);
    if (quotaMax(r.name) > 0n) res.quotaMaxValue = quotaMax(r.name);
    if (!infraUsage) res.value = 0n;
    res.alertThreshold = threshold(r.name);
    out.set(r.name, res);
  }
  const infra = new Map(snapshot.map((r) => [r.name, r]));
  const add = (name: string, units: string, value: bigint, infraMax: bigint): void => {
    const cur = out.get(name);
    if (cur) cur.value += value;
    else
      out.set(
        name,
        create(edgeproto.InfraResourceSchema, {
          name,
          units,
          value,
          infraMaxValue: infraMax,
          quotaMaxValue: quotaMax(name),
          alertThreshold: threshold(name),
        }),
      );
  };
  for (const [name, r] of usage(cloudlet, vms, infra, tbls)) add(name, r.units, r.value, r.infraMax);
  for (const [name, units] of Object.entries(perVmResources(cloudlet.platformType)))
    add(name, units, BigInt(vms.length), infra.get(name)?.infraMaxValue ?? 0n);
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * GetCloudletResourceUsage: the resources used on a cloudlet, computed as placement
 * does. Without `infra_usage`, what everything the Controller placed there uses; with
 * it, the CRM's reported infra usage plus what it doesn't report yet.
 */
export async function cloudletResourceUsage(
  ctx: PlacementContext,
  tx: ObjectTxn,
  req: edgeproto.CloudletResourceUsage,
): Promise<edgeproto.CloudletResourceUsage> {
  const { t } = ctx;
  const cloudlet = await txGet<edgeproto.Cloudlet>(tx, t.Cloudlet, req.key);
  if (!cloudlet) throw new EdgeError(Code.NOT_FOUND, 'Specified Cloudlet not found');
  const info = await txGet<edgeproto.CloudletInfo>(tx, t.CloudletInfo, req.key);
  if (!info)
    throw new EdgeError(
      Code.NOT_FOUND,
      `No resource information found for Cloudlet ${goCloudletKey(req.key)}`,
    );
  const refs = await cloudletRefs(ctx, tx, req.key);
  const { all, diff } = await cloudletVms(ctx, tx, { cloudlet, info, refs, lb: rootLbFlavor() });
  const tbls = await resTables(cloudlet, (k) => txGet(tx, t.ResTagTable, k));
  const snapshot = info.resourcesSnapshot?.info ?? [];
  return create(edgeproto.CloudletResourceUsageSchema, {
    key: req.key,
    infraUsage: req.infraUsage,
    info: resourceUsage(cloudlet, snapshot, req.infraUsage ? diff : all, req.infraUsage, tbls),
  });
}
