import { create } from '@bufbuild/protobuf';
import { Code, EdgeError, failedPrecondition, invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { currentSettings } from '../api/settings-api';
import type { ObjectTxn } from '../crud/ports';
import { ignoresCrm } from '../state/states';
import { dnsLabelsOn, txGet, type PlacementContext } from './context';
import { clusterDnsLabel, objectFqdn } from './dns';
import { ipAllocatedPerService, platformFeatures, type PlatformFeatures } from './features';
import { ALLOCATED_IP_DYNAMIC, enumName, goCloudletKey, RESERVABLE_CLUSTER_PREFIX } from './names';
import { cloudletRefs, clusterRefKey } from './refs';
import { clusterFlavors, clusterVms, validateResources } from './resources';
import { getVmSpec, gpuHint, resTables } from './vmspec';

const platName = (c: edgeproto.Cloudlet): string => enumName(edgeproto.PlatformTypeSchema, c.platformType);

/** The id `N` of an auto-created `reservable<N>` cluster, if it is one. */
export function reservableId(ci: edgeproto.ClusterInst): number | undefined {
  const name = ci.key?.clusterKey?.name ?? '';
  if (!ci.reservable || !ci.auto || !name.startsWith(RESERVABLE_CLUSTER_PREFIX)) return undefined;
  const rest = name.slice(RESERVABLE_CLUSTER_PREFIX.length);
  return /^\d+$/.test(rest) && Number(rest) < 64 ? Number(rest) : undefined;
}

/** IP access defaulted and checked for the platform and deployment, as validateAndDefaultIPAccess. */
function ipAccess(
  ci: edgeproto.ClusterInst,
  cloudlet: edgeproto.Cloudlet,
  f: PlatformFeatures,
): edgeproto.IpAccess {
  const A = edgeproto.IpAccess;
  if (ipAllocatedPerService(f, cloudlet.key?.organization ?? '')) {
    if (ci.ipAccess === A.SHARED)
      throw invalidArgument(`IpAccessShared not supported for platform: ${platName(cloudlet)}`);
    return ci.ipAccess === A.UNKNOWN ? A.DEDICATED : ci.ipAccess;
  }
  if (f.cloudletServicesLocal && !f.isFake) {
    if (ci.ipAccess === A.UNKNOWN) return A.SHARED;
    if (ci.ipAccess === A.DEDICATED)
      throw invalidArgument(`IpAccessDedicated not supported platform: ${platName(cloudlet)}`);
  }
  if (ci.ipAccess !== A.UNKNOWN) return ci.ipAccess;
  return ci.deployment === 'docker' ? A.DEDICATED : A.SHARED;
}

/** Reserves a dedicated IP from the cloudlet's dynamic pool (one stays for the global reverse proxy). */
function allocateIp(
  ci: edgeproto.ClusterInst,
  cloudlet: edgeproto.Cloudlet,
  f: PlatformFeatures,
  refs: edgeproto.CloudletRefs,
): void {
  if (ipAllocatedPerService(f, cloudlet.key?.organization ?? '')) return;
  if (ci.ipAccess === edgeproto.IpAccess.SHARED) return;
  if (ci.ipAccess === edgeproto.IpAccess.UNKNOWN) throw invalidArgument('Unexpected IP_ACCESS_UNKNOWN ');
  if (cloudlet.ipSupport === edgeproto.IpSupport.STATIC)
    throw invalidArgument('Static IPs not supported yet');
  if (cloudlet.ipSupport !== edgeproto.IpSupport.DYNAMIC) throw invalidArgument('Invalid IpSupport type');
  if (refs.usedDynamicIps + 1 >= cloudlet.numDynamicIps)
    throw new EdgeError(Code.RESOURCE_EXHAUSTED, 'No more dynamic IPs left');
  refs.usedDynamicIps++;
  ci.allocatedIp = ALLOCATED_IP_DYNAMIC;
}

/** Returns a dedicated IP to the cloudlet's pool. */
export function freeIp(
  ci: edgeproto.ClusterInst,
  cloudlet: edgeproto.Cloudlet | undefined,
  refs: edgeproto.CloudletRefs,
): void {
  if (ci.ipAccess === edgeproto.IpAccess.SHARED) return;
  if (cloudlet?.ipSupport === edgeproto.IpSupport.DYNAMIC && ci.allocatedIp === ALLOCATED_IP_DYNAMIC) {
    refs.usedDynamicIps = Math.max(0, refs.usedDynamicIps - 1);
    ci.allocatedIp = '';
  }
}

async function checkPlatform(
  ctx: PlacementContext,
  tx: ObjectTxn,
  ci: edgeproto.ClusterInst,
  cloudlet: edgeproto.Cloudlet,
  f: PlatformFeatures,
): Promise<void> {
  if (f.isSingleKubernetesCluster)
    throw invalidArgument(
      `Single kubernetes cluster platform ${platName(cloudlet)} only supports AppInst creates`,
    );
  if (f.supportsKubernetesOnly && ci.deployment !== 'kubernetes')
    throw invalidArgument(`Platform ${platName(cloudlet)} only supports kubernetes-based deployments`);
  if (ci.sharedVolumeSize !== 0n && !f.supportsSharedVolume)
    throw invalidArgument(`Shared volumes not supported on ${platName(cloudlet)}`);
  if (ci.deployment === 'kubernetes') {
    if (cloudlet.platformType === edgeproto.PlatformType.K8S_BARE_METAL && ci.numNodes !== 0)
      throw invalidArgument(`NumNodes must be 0 for ${platName(cloudlet)}`);
    if (ci.numNodes === 0 && f.kubernetesRequiresWorkerNodes)
      throw invalidArgument(`NumNodes cannot be 0 for ${platName(cloudlet)}`);
  }
  if (ci.autoScalePolicy) {
    const key = { organization: ci.key?.organization ?? '', name: ci.autoScalePolicy };
    const p = await txGet<edgeproto.AutoScalePolicy>(tx, ctx.t.AutoScalePolicy, key);
    if (p) ci.numNodes = Math.min(Math.max(ci.numNodes, p.minNodes), p.maxNodes);
  }
  if (ci.multiTenant && !f.supportsMultiTenantCluster)
    throw invalidArgument('Cloudlet does not support multi-tenant Clusters');
  if (ci.networks.length > 0 && !f.supportsAdditionalNetworks)
    throw invalidArgument(`Additional cluster networks not supported on platform: ${platName(cloudlet)}`);
}

/**
 * Inside the ClusterInst create transaction: the cloudlet must take work, the platform
 * must support the cluster, the mex flavor maps to platform flavors, resources fit, a
 * dedicated IP is reserved; then the cloudlet's refs record lists the cluster.
 */
export async function onCreateClusterInst(
  ctx: PlacementContext,
  tx: ObjectTxn,
  ci: edgeproto.ClusterInst,
): Promise<void> {
  const t = ctx.t;
  const ckey = ci.key?.cloudletKey;
  if (!ignoresCrm(ci.crmOverride))
    await ctx.checkCloudletReady(tx, ckey ?? ({} as edgeproto.CloudletKey), 'create');
  const cloudlet = await txGet<edgeproto.Cloudlet>(tx, t.Cloudlet, ckey);
  if (!cloudlet) throw new EdgeError(Code.NOT_FOUND, 'Specified Cloudlet not found');
  const f = platformFeatures(cloudlet.platformType);
  await checkPlatform(ctx, tx, ci, cloudlet, f);
  const info = await txGet<edgeproto.CloudletInfo>(tx, t.CloudletInfo, ckey);
  if (!info)
    throw new EdgeError(Code.NOT_FOUND, `No resource information found for Cloudlet ${goCloudletKey(ckey)}`);
  const refs = await cloudletRefs(ctx, tx, ckey);
  const flavor = await txGet<edgeproto.Flavor>(tx, t.Flavor, ci.flavor);
  if (!flavor) throw new EdgeError(Code.NOT_FOUND, `flavor ${ci.flavor?.name ?? ''} not found`);
  const tbls = await resTables(cloudlet, (k) => txGet(tx, t.ResTagTable, k));
  const spec = getVmSpec(flavor, info, tbls);
  ci.optRes = gpuHint(spec, tbls);
  if (ci.optRes === 'gpu' && !cloudlet.gpuConfig?.driver?.name)
    throw failedPrecondition(`No GPU driver associated with cloudlet ${goCloudletKey(ckey)}`);
  ci.nodeFlavor = spec.flavorName;
  ci.availabilityZone = spec.availabilityZone;
  ci.externalVolumeSize = spec.externalVolumeSize;
  if (ci.deployment === 'kubernetes') {
    const masterName = currentSettings(t.Settings, ctx.deps.cache).masterNodeFlavor;
    const master =
      ci.numNodes === 0 || !masterName
        ? undefined
        : await txGet<edgeproto.Flavor>(tx, t.Flavor, { name: masterName });
    ci.masterNodeFlavor = master ? getVmSpec(master, info, tbls).flavorName : ci.nodeFlavor;
  }
  ci.ipAccess = ipAccess(ci, cloudlet, f);
  const { node, master } = await clusterFlavors(ctx, tx, info.flavors, ci);
  const lbFlavor = rootLbFlavor();
  await validateResources(ctx, tx, {
    cloudlet,
    info,
    refs,
    tbls,
    lb: lbFlavor,
    reqd: clusterVms(ci, node, master, lbFlavor, f.kubernetesRequiresWorkerNodes, ''),
  });
  allocateIp(ci, cloudlet, f, refs);
  refs.clusterInsts.push(clusterRefKey(ci.key));
  const id = reservableId(ci);
  if (id !== undefined) refs.reservedAutoClusterIds |= 1n << BigInt(id);
  tx.put(t.CloudletRefs, refs);
  ci.dnsLabel = clusterDnsLabel(ci.key, dnsLabelsOn(ctx, ckey));
  ci.fqdn = objectFqdn(ci.dnsLabel, cloudlet, ctx.deps.region, ctx.appDnsRoot);
}

/**
 * The root LB's platform flavor. TODO: the platforms' GetRootLBFlavor (VM-based
 * platforms size it); the fake platforms have none, which counts only its external IP.
 */
export function rootLbFlavor(): edgeproto.FlavorInfo {
  return create(edgeproto.FlavorInfoSchema);
}
