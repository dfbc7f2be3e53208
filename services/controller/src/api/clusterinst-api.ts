import { create } from '@bufbuild/protobuf';
import { failedPrecondition, invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import type { ObjectRules, OpContext } from '../crud/object-api';
import type { RpcHandler } from '../grpc/services';
import { cacheGet, timestamp, txGet, type PlacementContext } from '../placement/context';
import { freeIp, onCreateClusterInst, reservableId } from '../placement/cluster-create';
import {
  AUTO_CLUSTER_PREFIX,
  DEFAULT_CLUST,
  MAX_CLUSTER_NAME_LENGTH,
  ORG_MOBILEDGEX,
  RESERVABLE_CLUSTER_PREFIX,
} from '../placement/names';
import { clusterRefKey, removeClusterRef } from '../placement/refs';
import { autoDeletable } from './appinst-api';

type ClusterInst = edgeproto.ClusterInst;
const SILENT: OpContext = { send: () => undefined };

/** Names users may not give clusters (the original checks them at the RPC, so internal creates pass). */
function checkReservedNames(ci: ClusterInst): void {
  if (ci.auto) return;
  const name = ci.key?.clusterKey?.name ?? '';
  if (
    name.startsWith(RESERVABLE_CLUSTER_PREFIX) &&
    /^[-+]?\d+$/.test(name.slice(RESERVABLE_CLUSTER_PREFIX.length))
  )
    throw invalidArgument(
      `Invalid cluster name, format "${RESERVABLE_CLUSTER_PREFIX}[digits]" is reserved for internal use`,
    );
  if (name === DEFAULT_CLUST)
    throw invalidArgument(`Invalid cluster name, ${DEFAULT_CLUST} is reserved for internal use`);
  if (name.startsWith(AUTO_CLUSTER_PREFIX))
    throw invalidArgument(`Cluster name prefix "${AUTO_CLUSTER_PREFIX}" is reserved`);
}

/** The original's create-time checks that need no other object; defaults the deployment and masters. */
function validateCreate(ci: ClusterInst, now: Date): void {
  checkReservedNames(ci);
  const key = ci.key;
  if (!key?.organization) throw invalidArgument('ClusterInst Organization cannot be empty');
  if (!key.cloudletKey?.name) throw invalidArgument('Cloudlet name cannot be empty');
  if (!key.cloudletKey.organization) throw invalidArgument('Cloudlet Organization name cannot be empty');
  if (!key.clusterKey?.name) throw invalidArgument('Cluster name cannot be empty');
  if (ci.reservable && key.organization !== ORG_MOBILEDGEX)
    throw invalidArgument(`Only ${ORG_MOBILEDGEX} ClusterInsts may be reservable`);
  if (ci.reservable) ci.reservationEndedAt = timestamp(now);
  if (ci.multiTenant && key.organization !== ORG_MOBILEDGEX)
    throw invalidArgument(`Only ${ORG_MOBILEDGEX} ClusterInsts may be multi-tenant`);
  if (ci.deployment === '' || ci.deployment === 'helm') ci.deployment = 'kubernetes';
  if (ci.deployment === 'vm')
    throw invalidArgument(
      'ClusterInst is not needed for deployment type vm, just create an AppInst directly',
    );
  if (ci.multiTenant && ci.deployment !== 'kubernetes')
    throw invalidArgument('Multi-tenant clusters must be of deployment type Kubernetes');
  if (ci.deployment === 'kubernetes') {
    if (ci.numMasters === 0) ci.numMasters = 1;
    if (ci.numMasters > 1) throw invalidArgument('NumMasters cannot be greater than 1');
  } else if (ci.deployment === 'docker') {
    if (ci.numMasters !== 0 || ci.numNodes !== 0)
      throw invalidArgument('NumMasters and NumNodes not applicable for deployment type docker');
    if (ci.sharedVolumeSize !== 0n)
      throw invalidArgument('SharedVolumeSize not supported for deployment type docker');
  } else {
    throw invalidArgument(`Invalid deployment type ${ci.deployment} for ClusterInst`);
  }
  // the value 2 (dedicatedOrShared) is no longer supported
  if ((ci.ipAccess as number) === 2) ci.ipAccess = edgeproto.IpAccess.UNKNOWN;
  if (ci.autoScalePolicy && ci.deployment !== 'kubernetes')
    throw invalidArgument('Cannot add auto scale policy to non-kubernetes ClusterInst');
  if (ci.liveness === edgeproto.Liveness.UNKNOWN) ci.liveness = edgeproto.Liveness.STATIC;
  if (key.clusterKey.name.length > MAX_CLUSTER_NAME_LENGTH)
    throw invalidArgument(`Cluster name limited to ${MAX_CLUSTER_NAME_LENGTH} characters`);
  if (!ci.flavor?.name) throw invalidArgument('No Flavor specified');
}

/** The AppInsts on a cluster (by ClusterRefs, covering reservable clusters' virtual names). */
function appInstsOn(ctx: PlacementContext, ci: ClusterInst): edgeproto.AppInst[] {
  const refs = cacheGet<edgeproto.ClusterRefs>(ctx, ctx.t.ClusterRefs, ci.key);
  const out: edgeproto.AppInst[] = [];
  for (const a of refs?.apps ?? []) {
    const key = {
      appKey: a.appKey,
      clusterInstKey: {
        clusterKey: { name: a.vClusterName },
        cloudletKey: ci.key?.cloudletKey,
        organization: ci.key?.organization,
      },
    };
    const inst = cacheGet<edgeproto.AppInst>(ctx, ctx.t.AppInst, key);
    if (inst) out.push(inst);
  }
  return out;
}

/**
 * ClusterInst rules: the original's validation, placement onto platform flavors,
 * resources and IPs, refs records; delete refused while static AppInsts use it
 * (auto-delete ones are deleted first), refs and reservations released with it.
 */
export function clusterInstRules(ctx: PlacementContext): ObjectRules<ClusterInst> {
  const t = ctx.t;
  return {
    validate(ci, op) {
      if (op === 'create') validateCreate(ci, ctx.deps.now());
    },
    onCreate: (tx, ci) => onCreateClusterInst(ctx, tx, ci),
    async onUpdate(_tx, cur, next) {
      if (cur.numMasters === 0) throw invalidArgument('cannot modify single node clusters');
      if (!cur.autoScalePolicy && next.autoScalePolicy && cur.deployment !== 'kubernetes')
        throw invalidArgument('Cannot add auto scale policy to non-kubernetes ClusterInst');
    },
    async beforeDelete(ci) {
      const dyn: edgeproto.AppInst[] = [];
      for (const inst of appInstsOn(ctx, ci)) {
        const app = cacheGet<edgeproto.App>(ctx, t.App, inst.key?.appKey);
        if (!app) continue;
        if (autoDeletable(ci.key?.organization ?? '', inst, app)) dyn.push(inst);
        else throw failedPrecondition(`ClusterInst in use by AppInst ${t.AppInst.keyJson(inst)}`);
      }
      for (const inst of dyn) await ctx.deps.tracked().delete('AppInst', inst, SILENT);
    },
    async onDelete(tx, ci) {
      const ckey = ci.key?.cloudletKey;
      const refs = await txGet<edgeproto.CloudletRefs>(tx, t.CloudletRefs, ckey);
      if (refs) {
        removeClusterRef(refs.clusterInsts, clusterRefKey(ci.key));
        freeIp(ci, await txGet<edgeproto.Cloudlet>(tx, t.Cloudlet, ckey), refs);
        const id = reservableId(ci);
        if (id !== undefined) refs.reservedAutoClusterIds &= ~(1n << BigInt(id));
        tx.put(t.CloudletRefs, refs);
      }
      if (await txGet(tx, t.ClusterRefs, ci.key))
        tx.delete(t.ClusterRefs, create(edgeproto.ClusterRefsSchema, { key: ci.key }));
    },
  };
}

/** DeleteIdleReservableClusterInsts: deletes auto reservable clusters free for longer than idle_time (ns). */
export function clusterInstHandlers(ctx: PlacementContext): Record<string, RpcHandler> {
  return {
    DeleteIdleReservableClusterInsts: async (req: edgeproto.IdleReservableClusterInsts) => {
      const now = BigInt(ctx.deps.now().getTime()) * 1_000_000n;
      for (const ci of ctx.deps.cache.list<ClusterInst>(ctx.t.ClusterInst)) {
        if (!ci.auto || !ci.reservable || ci.reservedBy !== '') continue;
        const ended =
          (ci.reservationEndedAt?.seconds ?? 0n) * 1_000_000_000n + BigInt(ci.reservationEndedAt?.nanos ?? 0);
        if (now - ended > req.idleTime) await ctx.deps.tracked().delete('ClusterInst', ci, SILENT);
      }
      return { message: 'Delete done' };
    },
  };
}
