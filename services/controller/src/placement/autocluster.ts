import { create } from '@bufbuild/protobuf';
import { Code, EdgeError, failedPrecondition, invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { beingDeletedError } from '../crud/errors';
import type { OpContext } from '../crud/object-api';
import type { ObjectTxn } from '../crud/ports';
import { ignoresCrm } from '../state/states';
import { cacheGet, sameCloudlet, txGet, type PlacementContext } from './context';
import { DEFAULT_MT_CLUST, MAX_AUTO_CLUSTER_IDS, ORG_MOBILEDGEX, RESERVABLE_CLUSTER_PREFIX } from './names';
import { cloudletRefs } from './refs';

type Undo = () => Promise<void>;

const k8s = (d: string): string => (d === 'helm' ? 'kubernetes' : d);

/** The original's useReservableClusterInst checks; the reservation itself is the caller's write. */
export function reservableMismatch(
  inst: edgeproto.AppInst,
  app: edgeproto.App,
  sidecar: boolean,
  ci: edgeproto.ClusterInst,
): string | undefined {
  if (!ci.reservable) return 'ClusterInst not reservable';
  if (sidecar) return undefined;
  if ((inst.flavor?.name ?? '') !== (ci.flavor?.name ?? ''))
    return 'flavor mismatch between AppInst and reservable ClusterInst';
  if (ci.reservedBy !== '') return 'ClusterInst already reserved';
  if (k8s(app.deployment) !== ci.deployment)
    return 'deployment type mismatch between App and reservable ClusterInst';
  return undefined;
}

/** The original's useMultiTenantClusterInst checks. */
export function multiTenantMismatch(
  inst: edgeproto.AppInst,
  app: edgeproto.App,
  ci: edgeproto.ClusterInst,
): string | undefined {
  if (!ci.multiTenant) return 'ClusterInst not multi-tenant';
  if (!app.allowServerless)
    return `App must allow serverless deployment to deploy to multi-tenant cluster ${inst.realClusterName}`;
  if (app.deployment !== 'kubernetes')
    return 'Deployment type must be kubernetes for multi-tenant ClusterInst';
  return undefined;
}

async function gate(ctx: PlacementContext, tx: ObjectTxn, inst: edgeproto.AppInst): Promise<void> {
  const ckey = inst.key?.clusterInstKey?.cloudletKey;
  const cloudlet = await txGet<edgeproto.Cloudlet>(tx, ctx.t.Cloudlet, ckey);
  if (!cloudlet) throw new EdgeError(Code.NOT_FOUND, 'Specified Cloudlet not found');
  if (cloudlet.deletePrepare) throw beingDeletedError(ctx.t.Cloudlet, cloudlet);
  if (!ignoresCrm(inst.crmOverride))
    await ctx.checkCloudletReady(tx, ckey ?? create(edgeproto.CloudletKeySchema), 'create');
}

/** Reserves a free reservable ClusterInst of the cloudlet for the App's org; its name, if one fit. */
async function reserveFree(
  ctx: PlacementContext,
  inst: edgeproto.AppInst,
  app: edgeproto.App,
): Promise<string | undefined> {
  const ckey = inst.key?.clusterInstKey?.cloudletKey;
  const free = ctx.deps.cache
    .list<edgeproto.ClusterInst>(ctx.t.ClusterInst)
    .filter((c) => sameCloudlet(c.key?.cloudletKey, ckey) && c.reservable && c.reservedBy === '');
  return ctx.deps.store.apply(async (tx) => {
    await gate(ctx, tx, inst);
    for (const c of free) {
      const cur = await txGet<edgeproto.ClusterInst>(tx, ctx.t.ClusterInst, c.key);
      if (!cur) continue;
      if (cur.deletePrepare) throw beingDeletedError(ctx.t.ClusterInst, cur);
      if (reservableMismatch(inst, app, false, cur)) continue;
      cur.reservedBy = app.key?.organization ?? '';
      tx.put(ctx.t.ClusterInst, cur);
      return cur.key?.clusterKey?.name ?? '';
    }
    return undefined;
  });
}

/** Takes the lowest free auto-cluster id (0..63) of the cloudlet in its refs record. */
async function reserveId(ctx: PlacementContext, inst: edgeproto.AppInst): Promise<number> {
  return ctx.deps.store.apply(async (tx) => {
    await gate(ctx, tx, inst);
    const refs = await cloudletRefs(ctx, tx, inst.key?.clusterInstKey?.cloudletKey);
    let id = 0;
    while (id < MAX_AUTO_CLUSTER_IDS && (refs.reservedAutoClusterIds & (1n << BigInt(id))) !== 0n) id++;
    if (id === MAX_AUTO_CLUSTER_IDS)
      throw new EdgeError(
        Code.RESOURCE_EXHAUSTED,
        'Requested new reservable autocluster but maximum number reached',
      );
    refs.reservedAutoClusterIds |= 1n << BigInt(id);
    tx.put(ctx.t.CloudletRefs, refs);
    return id;
  });
}

/** Gives an unused id back (when the auto-cluster never got stored). */
async function releaseId(ctx: PlacementContext, ci: edgeproto.ClusterInst, id: number): Promise<void> {
  await ctx.deps.store.apply(async (tx) => {
    if (await txGet(tx, ctx.t.ClusterInst, ci.key)) return;
    const refs = await txGet<edgeproto.CloudletRefs>(tx, ctx.t.CloudletRefs, ci.key?.cloudletKey);
    if (!refs) return;
    refs.reservedAutoClusterIds &= ~(1n << BigInt(id));
    tx.put(ctx.t.CloudletRefs, refs);
  });
}

/** The auto-cluster for an AppInst: owned by MobiledgeX, reservable, reserved by the App's org. */
function autoCluster(inst: edgeproto.AppInst, app: edgeproto.App, name: string): edgeproto.ClusterInst {
  const deployment = k8s(app.deployment);
  const kube = deployment === 'kubernetes';
  return create(edgeproto.ClusterInstSchema, {
    key: {
      clusterKey: { name },
      cloudletKey: inst.key?.clusterInstKey?.cloudletKey,
      organization: ORG_MOBILEDGEX,
    },
    auto: true,
    reservable: true,
    reservedBy: app.key?.organization ?? '',
    flavor: { name: inst.flavor?.name ?? '' },
    ipAccess: edgeproto.IpAccess.UNKNOWN,
    deployment,
    numMasters: kube ? 1 : 0,
    numNodes: kube ? 1 : 0,
    liveness: edgeproto.Liveness.DYNAMIC,
    crmOverride: inst.crmOverride,
  });
}

/**
 * ChooseAutoCluster of an `autocluster…` AppInst, before its create transaction: the
 * cloudlet's default multi-tenant cluster for serverless Apps, else a free reservable
 * ClusterInst of the same flavor and deployment (reserved for the App's org), else a new
 * `reservable<N>` cluster created through the state machine, its progress streamed to
 * the caller. Sets `real_cluster_name`; returns how to undo it.
 */
export async function chooseAutoCluster(
  ctx: PlacementContext,
  inst: edgeproto.AppInst,
  app: edgeproto.App,
  op: OpContext,
): Promise<Undo | undefined> {
  const ckey = inst.key?.clusterInstKey?.cloudletKey;
  if (app.allowServerless) {
    const key = {
      clusterKey: { name: DEFAULT_MT_CLUST },
      cloudletKey: ckey,
      organization: inst.key?.clusterInstKey?.organization,
    };
    const mt = cacheGet<edgeproto.ClusterInst>(ctx, ctx.t.ClusterInst, key);
    if (mt && !mt.deletePrepare && !multiTenantMismatch(inst, app, mt)) {
      inst.realClusterName = DEFAULT_MT_CLUST;
      return undefined;
    }
  }
  const org = app.key?.organization ?? '';
  const chosen = await reserveFree(ctx, inst, app);
  if (chosen !== undefined) {
    inst.realClusterName = chosen;
    op.send(`Chose reservable ClusterInst ${chosen} to deploy AppInst`);
    return async () => {
      await ctx.deps.store.apply(async (tx) => {
        const key = { clusterKey: { name: chosen }, cloudletKey: ckey, organization: ORG_MOBILEDGEX };
        const ci = await txGet<edgeproto.ClusterInst>(tx, ctx.t.ClusterInst, key);
        if (!ci || ci.reservedBy !== org) return;
        ci.reservedBy = '';
        tx.put(ctx.t.ClusterInst, ci);
      });
    };
  }
  const id = await reserveId(ctx, inst);
  const name = `${RESERVABLE_CLUSTER_PREFIX}${id}`;
  inst.realClusterName = name;
  op.send(`Creating new auto-cluster named ${name} to deploy AppInst`);
  const ci = autoCluster(inst, app, name);
  try {
    await ctx.deps.tracked().create('ClusterInst', ci, op);
  } catch (err) {
    await releaseId(ctx, ci, id);
    throw err;
  }
  return async () => {
    op.send('Deleting auto-ClusterInst due to failure');
    await ctx.deps.tracked().delete('ClusterInst', ci, op);
  };
}

/** Checks of an `autocluster…` AppInst that need no store write (the original's order). */
export function checkAutoClusterRequest(inst: edgeproto.AppInst, app: edgeproto.App, sidecar: boolean): void {
  if (app.deployment === 'vm')
    throw invalidArgument(
      `No cluster required for App deployment type ${app.deployment}, cannot use cluster name autocluster which attempts to use or create a ClusterInst`,
    );
  if (inst.key?.clusterInstKey?.organization !== ORG_MOBILEDGEX)
    throw invalidArgument(`ClusterInst organization must be ${ORG_MOBILEDGEX} for autoclusters`);
  if (app.accessType === edgeproto.AccessType.DIRECT)
    throw invalidArgument('For auto-provisioning or auto-clusters, App access type direct is not supported');
  if (!app.defaultFlavor?.name)
    throw invalidArgument('For auto-provisioning or auto-clusters, App must have default flavor defined');
  if (!['kubernetes', 'helm', 'docker'].includes(app.deployment))
    throw invalidArgument(
      'For auto-provisioning or auto-clusters, App deployment types are limited to kubernetes, helm, docker',
    );
  const vname = inst.key?.clusterInstKey?.clusterKey?.name ?? '';
  if (sidecar && !inst.realClusterName)
    throw invalidArgument(
      `Sidecar AppInst (AutoDelete App) must specify the RealClusterName field to deploy to the virtual cluster name ${vname}, or specify the real cluster name in the key`,
    );
  if (inst.realClusterName && !sidecar)
    throw failedPrecondition('Cannot specify real cluster name with autocluster cluster name prefix');
}
