import { create } from '@bufbuild/protobuf';
import { Code, EdgeError, failedPrecondition, invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { beingDeletedError, notFoundError } from '../crud/errors';
import type { ObjectTxn } from '../crud/ports';
import { parseAppPorts } from './app-ports';
import { multiTenantMismatch, reservableMismatch } from './autocluster';
import { ignoresCrm } from '../state/states';
import { dnsLabelsOn, holder, sameVirtualCluster, txGet, type PlacementContext } from './context';
import { rootLbFlavor } from './cluster-create';
import { appInstDnsLabel, checkFqdnLengths, objectFqdn, rootLbFqdn } from './dns';
import { ipAllocatedPerService, platformFeatures } from './features';
import { AUTO_CLUSTER_PREFIX, enumName, goCloudletKey, ORG_MOBILEDGEX } from './names';
import { appInstRefKey, cloudletRefs, realClusterKey, trackAppInst } from './refs';
import { validateResources, vmAppVms } from './resources';
import { allocateSharedPorts, checkDedicatedOverlap } from './root-lb-ports';
import { getVmSpec, gpuHint, resTables } from './vmspec';

/** Sidecar Apps (MobiledgeX-owned, auto-delete) run in any cluster without reserving it. */
export function isSidecar(app: edgeproto.App): boolean {
  return app.key?.organization === ORG_MOBILEDGEX && app.delOpt === edgeproto.DeleteType.AUTO_DELETE;
}

/** The named ClusterInst of a non-auto AppInst: it must exist and suit the App. */
async function namedCluster(
  ctx: PlacementContext,
  tx: ObjectTxn,
  inst: edgeproto.AppInst,
  app: edgeproto.App,
  sidecar: boolean,
  auto: boolean,
): Promise<edgeproto.ClusterInst> {
  const t = ctx.t;
  const key = realClusterKey(inst);
  const ci = await txGet<edgeproto.ClusterInst>(tx, t.ClusterInst, key);
  if (!ci) {
    const e = notFoundError(t.ClusterInst, holder(t.ClusterInst, key));
    throw auto ? new EdgeError(Code.NOT_FOUND, `Specified real ${e.message}`) : e;
  }
  if (ci.deletePrepare) throw beingDeletedError(t.ClusterInst, ci);
  if (auto) {
    // a sidecar App names its target cluster
    if (ci.multiTenant) {
      const bad = multiTenantMismatch(inst, app, ci);
      if (bad) throw failedPrecondition(`Failed to use specified multi-tenant ClusterInst, ${bad}`);
    } else if (!ci.reservable) {
      throw failedPrecondition('Specified real cluster must be a multi-tenant or reservable ClusterInst');
    }
    return ci;
  }
  if (ci.multiTenant && !sidecar)
    throw failedPrecondition(
      `Cannot directly specify multi-tenant cluster, must use ${AUTO_CLUSTER_PREFIX} prefix on cluster name and specify real cluster name`,
    );
  if (ci.reservable) {
    const bad = reservableMismatch(inst, app, sidecar, ci);
    if (bad) throw failedPrecondition(`Failed to reserve specified reservable ClusterInst, ${bad}`);
    if (!sidecar) {
      ci.reservedBy = app.key?.organization ?? '';
      tx.put(t.ClusterInst, ci);
    }
  }
  const appOrg = inst.key?.appKey?.organization ?? '';
  const clusterOrg = inst.key?.clusterInstKey?.organization ?? '';
  if (!sidecar && !ci.reservable && appOrg !== clusterOrg)
    throw failedPrecondition(`Developer name mismatch between App: ${appOrg} and ClusterInst: ${clusterOrg}`);
  return ci;
}

/** The cluster must be READY, still reserved for the App's org, and of the App's deployment. */
function checkClusterUsable(
  ci: edgeproto.ClusterInst,
  app: edgeproto.App,
  inst: edgeproto.AppInst,
  sidecar: boolean,
  keyJson: string,
): void {
  if (ci.state !== edgeproto.TrackedState.READY)
    throw failedPrecondition(
      `ClusterInst ${keyJson} not ready, it is ${enumName(edgeproto.TrackedStateSchema, ci.state)}`,
    );
  const org = inst.key?.appKey?.organization ?? '';
  if (!sidecar && ci.reservable && ci.reservedBy !== org)
    throw failedPrecondition(
      `ClusterInst reservation changed unexpectedly, expected ${org} but was ${ci.reservedBy}`,
    );
  const need = app.deployment === 'helm' ? 'kubernetes' : app.deployment;
  if (ci.deployment !== need)
    throw failedPrecondition(`Cannot deploy ${app.deployment} App into ${ci.deployment} ClusterInst`);
}

/**
 * Inside the AppInst create transaction: re-checks the App, cloudlet and cluster as
 * stored now, maps the flavor, checks resources of VM Apps, maps ports (shared root LB
 * ports in CloudletRefs), sets the URI, and records the instance in the refs records.
 */
export async function onCreateAppInst(
  ctx: PlacementContext,
  tx: ObjectTxn,
  inst: edgeproto.AppInst,
): Promise<void> {
  const t = ctx.t;
  const app = await txGet<edgeproto.App>(tx, t.App, inst.key?.appKey);
  if (!app) throw notFoundError(t.App, holder(t.App, inst.key?.appKey));
  if (app.deletePrepare) throw beingDeletedError(t.App, app);
  const sidecar = isSidecar(app);
  const reqd = app.deployment !== 'vm';
  const ckey = inst.key?.clusterInstKey?.cloudletKey;
  const cloudlet = await txGet<edgeproto.Cloudlet>(tx, t.Cloudlet, ckey);
  if (!cloudlet) throw new EdgeError(Code.NOT_FOUND, 'Specified Cloudlet not found');
  if (cloudlet.deletePrepare) throw beingDeletedError(t.Cloudlet, cloudlet);
  const info = await txGet<edgeproto.CloudletInfo>(tx, t.CloudletInfo, ckey);
  if (!info)
    throw new EdgeError(Code.NOT_FOUND, `No resource information found for Cloudlet ${goCloudletKey(ckey)}`);
  const f = platformFeatures(cloudlet.platformType);
  if (inst.dedicatedIp && !f.supportsAppInstDedicatedIp)
    throw invalidArgument('Target cloudlet platform does not support a per-AppInst dedicated IP');
  if (!ignoresCrm(inst.crmOverride))
    await ctx.checkCloudletReady(tx, ckey ?? create(edgeproto.CloudletKeySchema), 'create');
  const auto = (inst.key?.clusterInstKey?.clusterKey?.name ?? '').startsWith(AUTO_CLUSTER_PREFIX);
  const ci = reqd ? await namedCluster(ctx, tx, inst, app, sidecar, auto) : undefined;
  if (cloudlet.trustPolicy && !app.trusted)
    throw failedPrecondition('Cannot start non trusted App on trusted cloudlet');
  inst.autoClusterIpAccess = edgeproto.IpAccess.UNKNOWN;
  const flavor = await txGet<edgeproto.Flavor>(tx, t.Flavor, inst.flavor);
  if (!flavor) throw notFoundError(t.Flavor, holder(t.Flavor, inst.flavor));
  if (flavor.deletePrepare) throw beingDeletedError(t.Flavor, flavor);
  const tbls = await resTables(cloudlet, (k) => txGet(tx, t.ResTagTable, k));
  const spec = getVmSpec(flavor, info, tbls);
  inst.vmFlavor = spec.flavorName;
  inst.availabilityZone = spec.availabilityZone;
  inst.externalVolumeSize = spec.externalVolumeSize;
  inst.optRes = gpuHint(spec, tbls);
  inst.revision = app.revision;
  if (app.accessType === edgeproto.AccessType.DIRECT)
    throw invalidArgument(
      'Direct Access Apps are no longer supported, please re-create App as ACCESS_TYPE_LOAD_BALANCER',
    );
  const refs = await cloudletRefs(ctx, tx, ckey);
  if (!reqd) {
    const lb = rootLbFlavor();
    const owner = t.AppInst.keyJson(inst);
    await validateResources(ctx, tx, {
      cloudlet,
      info,
      refs,
      tbls,
      lb,
      reqd: vmAppVms(app, inst, info.flavors, lb, owner),
    });
    refs.vmAppInsts.push(appInstRefKey(inst.key));
  }
  if (ci) checkClusterUsable(ci, app, inst, sidecar, t.ClusterInst.keyJson(ci));
  inst.dnsLabel = appInstDnsLabel(inst.key, dnsLabelsOn(ctx, ckey));
  mapPorts(ctx, inst, app, cloudlet, ci, refs);
  checkFqdnLengths('', inst.uri);
  inst.cloudletLoc = cloudlet.location;
  tx.put(t.CloudletRefs, refs);
  await trackAppInst(ctx, tx, inst, true, reqd);
}

/** Public ports and the URI: shared root LB (ports allocated), dedicated LB, or the App's own VM/IP. */
function mapPorts(
  ctx: PlacementContext,
  inst: edgeproto.AppInst,
  app: edgeproto.App,
  cloudlet: edgeproto.Cloudlet,
  ci: edgeproto.ClusterInst | undefined,
  refs: edgeproto.CloudletRefs,
): void {
  const { region } = ctx.deps;
  inst.uri = objectFqdn(inst.dnsLabel, cloudlet, region, ctx.appDnsRoot);
  const ports = parseAppPorts(app.accessPorts);
  const ipaccess = ci ? ci.ipAccess : edgeproto.IpAccess.SHARED;
  const same = (): void => ports.forEach((p) => (p.publicPort = p.internalPort));
  if (!ci || inst.dedicatedIp) same();
  else if (ipaccess === edgeproto.IpAccess.SHARED && !app.internalPorts) {
    inst.uri = rootLbFqdn(cloudlet, region, ctx.appDnsRoot);
    allocateSharedPorts(ports, refs);
  } else if (
    ipAllocatedPerService(platformFeatures(cloudlet.platformType), cloudlet.key?.organization ?? '')
  ) {
    same();
  } else {
    const others = ctx.deps.cache
      .list<edgeproto.AppInst>(ctx.t.AppInst)
      .filter((o) => sameVirtualCluster(o.key?.clusterInstKey, inst.key?.clusterInstKey));
    checkDedicatedOverlap(ports, others);
    inst.uri = ci.fqdn;
    same();
  }
  if (app.internalPorts || ports.length === 0) inst.uri = '';
  if (ports.length > 0) inst.mappedPorts = ports;
}
