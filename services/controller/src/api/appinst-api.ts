import { edgeproto } from '@edge/proto';
import { invalidArgument } from '@edge/errors';
import { beingDeletedError, notFoundError } from '../crud/errors';
import type { ObjectRules } from '../crud/object-api';
import { checkAutoClusterRequest, chooseAutoCluster } from '../placement/autocluster';
import { isSidecar, onCreateAppInst } from '../placement/appinst-create';
import { cacheGet, holder, timestamp, txGet, type PlacementContext } from '../placement/context';
import { AUTO_CLUSTER_PREFIX, DEFAULT_CLUST, ORG_MOBILEDGEX } from '../placement/names';
import { appInstRefKey, realClusterKey, removeAppInstRef, trackAppInst } from '../placement/refs';
import { freeSharedPorts } from '../placement/root-lb-ports';

type AppInst = edgeproto.AppInst;

/** Whether deleting the App or cluster may delete this AppInst along with it (the original's isAutoDeleteAppInstOk). */
export function autoDeletable(callerOrg: string, inst: AppInst, app: edgeproto.App): boolean {
  if (inst.liveness === edgeproto.Liveness.DYNAMIC || app.delOpt === edgeproto.DeleteType.AUTO_DELETE)
    return true;
  return callerOrg === app.key?.organization && inst.liveness === edgeproto.Liveness.AUTOPROV;
}

/**
 * The original's SetAppInstKeyDefaults: an `autocluster…` AppInst's cluster belongs to
 * MobiledgeX, any other to the App's org; no cluster name means `defaultclust`.
 */
export function appInstKeyDefaults(inst: AppInst): void {
  const ck = inst.key?.clusterInstKey;
  if (!inst.key || !ck) return;
  const name = ck.clusterKey?.name ?? '';
  if (ck.organization === '')
    ck.organization = name.startsWith(AUTO_CLUSTER_PREFIX)
      ? ORG_MOBILEDGEX
      : (inst.key.appKey?.organization ?? '');
  if (name === '') ck.clusterKey = { $typeName: 'edgeproto.ClusterKey', name: DEFAULT_CLUST };
}

/**
 * AppInst rules: key defaults, then placement. `autocluster…` names choose or create a
 * reservable cluster before the create transaction (prepare); named clusters are checked
 * inside it. Delete frees the reservation, the shared root LB ports and the refs records.
 */
export function appInstRules(ctx: PlacementContext): ObjectRules<AppInst> {
  const t = ctx.t;
  return {
    skipRefPaths: ['key.cluster_inst_key'],
    normalize: appInstKeyDefaults,
    validate(inst, op) {
      if (op !== 'create') return;
      const vname = inst.key?.clusterInstKey?.clusterKey?.name ?? '';
      if (!vname.startsWith(AUTO_CLUSTER_PREFIX) && inst.realClusterName !== '') {
        if (inst.realClusterName !== vname)
          throw invalidArgument(
            `Cannot specify real cluster name without ${AUTO_CLUSTER_PREFIX} cluster prefix, or must match cluster key name`,
          );
        inst.realClusterName = '';
      }
      if (inst.liveness === edgeproto.Liveness.UNKNOWN) inst.liveness = edgeproto.Liveness.STATIC;
    },
    async prepare(inst, op) {
      const app = cacheGet<edgeproto.App>(ctx, t.App, inst.key?.appKey);
      if (!app) throw notFoundError(t.App, holder(t.App, inst.key?.appKey));
      if (app.deletePrepare) throw beingDeletedError(t.App, app);
      const vname = inst.key?.clusterInstKey?.clusterKey?.name ?? '';
      if (app.deployment !== 'vm' && vname === DEFAULT_CLUST)
        throw invalidArgument('Cannot use blank or default Cluster name when ClusterInst is required');
      if (!inst.flavor?.name) {
        if (!app.defaultFlavor?.name) throw invalidArgument('No AppInst or App flavor specified');
        inst.flavor = app.defaultFlavor;
      }
      if (!vname.startsWith(AUTO_CLUSTER_PREFIX)) return undefined;
      const sidecar = isSidecar(app);
      checkAutoClusterRequest(inst, app, sidecar);
      if (inst.realClusterName) return undefined;
      return chooseAutoCluster(ctx, inst, app, op);
    },
    onCreate: (tx, inst) => onCreateAppInst(ctx, tx, inst),
    async onDelete(tx, inst) {
      const app = await txGet<edgeproto.App>(tx, t.App, inst.key?.appKey);
      const reqd = app?.deployment !== 'vm';
      const ckey = inst.key?.clusterInstKey?.cloudletKey;
      const refs = await txGet<edgeproto.CloudletRefs>(tx, t.CloudletRefs, ckey);
      if (reqd && app) {
        const ci = await txGet<edgeproto.ClusterInst>(tx, t.ClusterInst, realClusterKey(inst));
        if (ci?.ipAccess === edgeproto.IpAccess.SHARED && !inst.dedicatedIp && !app.internalPorts && refs)
          freeSharedPorts(inst.mappedPorts, refs);
        if (ci?.reservable && !isSidecar(app) && ci.reservedBy === app.key?.organization) {
          ci.reservedBy = '';
          ci.reservationEndedAt = timestamp(ctx.deps.now());
          tx.put(t.ClusterInst, ci);
        }
      }
      if (refs) {
        removeAppInstRef(refs.vmAppInsts, appInstRefKey(inst.key));
        tx.put(t.CloudletRefs, refs);
      }
      await trackAppInst(ctx, tx, inst, false, reqd);
    },
  };
}
