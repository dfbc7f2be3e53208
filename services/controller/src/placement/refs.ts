import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { ObjectTxn } from '../crud/ports';
import { txGet, type PlacementContext } from './context';

/**
 * Refs records: derived per-cloudlet / per-cluster / per-App bookkeeping written in the
 * same transaction as the object they follow, so they never disagree with it.
 */

/** The cloudlet's refs record, or a fresh one (not yet stored). */
export async function cloudletRefs(
  ctx: PlacementContext,
  tx: ObjectTxn,
  key: edgeproto.CloudletKey | undefined,
): Promise<edgeproto.CloudletRefs> {
  return (
    (await txGet<edgeproto.CloudletRefs>(tx, ctx.t.CloudletRefs, key)) ??
    create(edgeproto.CloudletRefsSchema, { key })
  );
}

/** A ClusterInst key without its cloudlet, as CloudletRefs lists it. */
export function clusterRefKey(key: edgeproto.ClusterInstKey | undefined): edgeproto.ClusterInstRefKey {
  return create(edgeproto.ClusterInstRefKeySchema, {
    clusterKey: { name: key?.clusterKey?.name ?? '' },
    organization: key?.organization ?? '',
  });
}

/** An AppInst key without its cloudlet, as CloudletRefs lists VM/k8s AppInsts. */
export function appInstRefKey(key: edgeproto.AppInstKey | undefined): edgeproto.AppInstRefKey {
  return create(edgeproto.AppInstRefKeySchema, {
    appKey: key?.appKey,
    clusterInstKey: {
      clusterKey: { name: key?.clusterInstKey?.clusterKey?.name ?? '' },
      organization: key?.clusterInstKey?.organization ?? '',
    },
  });
}

const sameClusterRef = (a: edgeproto.ClusterInstRefKey, b: edgeproto.ClusterInstRefKey): boolean =>
  a.organization === b.organization && (a.clusterKey?.name ?? '') === (b.clusterKey?.name ?? '');

/** Removes one ClusterInst from a refs list; true when it was there. */
export function removeClusterRef(
  list: edgeproto.ClusterInstRefKey[],
  key: edgeproto.ClusterInstRefKey,
): boolean {
  const i = list.findIndex((k) => sameClusterRef(k, key));
  if (i >= 0) list.splice(i, 1);
  return i >= 0;
}

/** Removes one AppInst from a refs list; true when it was there. */
export function removeAppInstRef(list: edgeproto.AppInstRefKey[], key: edgeproto.AppInstRefKey): boolean {
  const same = (a: edgeproto.AppInstRefKey): boolean =>
    a.appKey?.organization === key.appKey?.organization &&
    a.appKey?.name === key.appKey?.name &&
    a.appKey?.version === key.appKey?.version &&
    sameClusterRef(
      a.clusterInstKey ?? create(edgeproto.ClusterInstRefKeySchema),
      key.clusterInstKey ?? create(edgeproto.ClusterInstRefKeySchema),
    );
  const i = list.findIndex(same);
  if (i >= 0) list.splice(i, 1);
  return i >= 0;
}

/** The real ClusterInst an AppInst runs on: its virtual key with the real cluster name, if any. */
export function realClusterKey(inst: edgeproto.AppInst): edgeproto.ClusterInstKey {
  const v = inst.key?.clusterInstKey;
  return create(edgeproto.ClusterInstKeySchema, {
    clusterKey: { name: inst.realClusterName || (v?.clusterKey?.name ?? '') },
    cloudletKey: v?.cloudletKey,
    organization: v?.organization ?? '',
  });
}

/** Adds (or removes) an AppInst in its App's AppInstRefs and its real cluster's ClusterRefs. */
export async function trackAppInst(
  ctx: PlacementContext,
  tx: ObjectTxn,
  inst: edgeproto.AppInst,
  add: boolean,
  clusterReqd: boolean,
): Promise<void> {
  const { AppInstRefs, ClusterRefs, AppInst } = ctx.t;
  const appKey = inst.key?.appKey;
  const refs =
    (await txGet<edgeproto.AppInstRefs>(tx, AppInstRefs, appKey)) ??
    create(edgeproto.AppInstRefsSchema, { key: appKey });
  const instKey = AppInst.keyJson(inst);
  if (add) refs.insts[instKey] = 1;
  else delete refs.insts[instKey];
  tx.put(AppInstRefs, refs);
  if (!clusterReqd) return;
  const ckey = realClusterKey(inst);
  const crefs =
    (await txGet<edgeproto.ClusterRefs>(tx, ClusterRefs, ckey)) ??
    create(edgeproto.ClusterRefsSchema, { key: ckey });
  const vname = inst.key?.clusterInstKey?.clusterKey?.name ?? '';
  const i = crefs.apps.findIndex(
    (a) =>
      a.vClusterName === vname &&
      a.appKey?.organization === appKey?.organization &&
      a.appKey?.name === appKey?.name &&
      a.appKey?.version === appKey?.version,
  );
  if (add && i < 0)
    crefs.apps.push(create(edgeproto.ClusterRefsAppInstKeySchema, { appKey, vClusterName: vname }));
  if (!add && i >= 0) crefs.apps.splice(i, 1);
  tx.put(ClusterRefs, crefs);
}
