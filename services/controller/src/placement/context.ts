import { create, type Message } from '@bufbuild/protobuf';
import { dme, type edgeproto, type ObjectType } from '@edge/proto';
import type { ApiDeps } from '../api/rules';
import type { ObjectTxn } from '../crud/ports';

/**
 * The readiness gate of AppInst/ClusterInst operations on a cloudlet (the original's
 * `checkCloudletReady`): throws the refusal, resolves when the cloudlet takes work.
 */
export type CloudletReadyCheck = (
  tx: ObjectTxn,
  key: edgeproto.CloudletKey,
  action: 'create' | 'update' | 'delete',
) => Promise<void>;

/** Options of placement beyond ApiDeps. */
export interface PlacementOptions {
  /** DNS domain of App and cluster FQDNs; default `mobiledgex.net` (the original's -appDNSRoot). */
  appDnsRoot?: string;
}

/** The object types placement reads and writes. */
export interface PlacementTypes {
  readonly App: ObjectType;
  readonly AppInst: ObjectType;
  readonly ClusterInst: ObjectType;
  readonly Cloudlet: ObjectType;
  readonly CloudletInfo: ObjectType;
  readonly CloudletRefs: ObjectType;
  readonly ClusterRefs: ObjectType;
  readonly AppInstRefs: ObjectType;
  readonly Flavor: ObjectType;
  readonly ResTagTable: ObjectType;
  readonly AutoScalePolicy: ObjectType;
  readonly AutoProvPolicy: ObjectType;
  readonly Settings: ObjectType;
}

/** Everything the placement rules share: the API deps, the types, the options resolved. */
export interface PlacementContext {
  readonly deps: ApiDeps;
  readonly t: PlacementTypes;
  readonly checkCloudletReady: CloudletReadyCheck;
  readonly appDnsRoot: string;
}

/** TODO(config): the Controller's -appDNSRoot flag; until then this default. */
export const DEFAULT_APP_DNS_ROOT = 'mobiledgex.net';

/** Looks up the placement object types once. */
export function placementTypes(deps: Pick<ApiDeps, 'reg'>): PlacementTypes {
  const g = (n: string): ObjectType => deps.reg.get(n);
  return {
    App: g('App'),
    AppInst: g('AppInst'),
    ClusterInst: g('ClusterInst'),
    Cloudlet: g('Cloudlet'),
    CloudletInfo: g('CloudletInfo'),
    CloudletRefs: g('CloudletRefs'),
    ClusterRefs: g('ClusterRefs'),
    AppInstRefs: g('AppInstRefs'),
    Flavor: g('Flavor'),
    ResTagTable: g('ResTagTable'),
    AutoScalePolicy: g('AutoScalePolicy'),
    AutoProvPolicy: g('AutoProvPolicy'),
    Settings: g('Settings'),
  };
}

/** An instance of `type` holding only `key`, for store and cache lookups. */
export function holder(type: ObjectType, key: unknown): Message {
  return create(type.schema, { [type.keyField?.localName ?? 'key']: key } as never);
}

/** Reads an object by key inside a transaction. */
export function txGet<T extends Message>(
  tx: ObjectTxn,
  type: ObjectType,
  key: unknown,
): Promise<T | undefined> {
  return tx.get<T>(type, holder(type, key));
}

/** Reads an object by key from the cache. */
export function cacheGet<T extends Message>(
  ctx: PlacementContext,
  type: ObjectType,
  key: unknown,
): T | undefined {
  return ctx.deps.cache.get<T>(type, holder(type, key));
}

/** Whether two cloudlet keys name the same cloudlet. */
export function sameCloudlet(
  a: edgeproto.CloudletKey | undefined,
  b: edgeproto.CloudletKey | undefined,
): boolean {
  return (
    (a?.organization ?? '') === (b?.organization ?? '') &&
    (a?.name ?? '') === (b?.name ?? '') &&
    (a?.federatedOrganization ?? '') === (b?.federatedOrganization ?? '')
  );
}

/** A protobuf Timestamp (dme) of a Date. */
export function timestamp(d: Date): dme.Timestamp {
  const ms = d.getTime();
  return create(dme.TimestampSchema, {
    seconds: BigInt(Math.floor(ms / 1000)),
    nanos: (ms % 1000) * 1_000_000,
  });
}

/** DNS labels already used by ClusterInsts and AppInsts of a cloudlet (they share one namespace). */
export function dnsLabelsOn(ctx: PlacementContext, key: edgeproto.CloudletKey | undefined): Set<string> {
  const { cache } = ctx.deps;
  return new Set([
    ...cache
      .list<edgeproto.ClusterInst>(ctx.t.ClusterInst)
      .filter((c) => sameCloudlet(c.key?.cloudletKey, key))
      .map((c) => c.dnsLabel),
    ...cache
      .list<edgeproto.AppInst>(ctx.t.AppInst)
      .filter((a) => sameCloudlet(a.key?.clusterInstKey?.cloudletKey, key))
      .map((a) => a.dnsLabel),
  ]);
}

/** Whether two AppInsts name the same (virtual) cluster. */
export function sameVirtualCluster(
  a: edgeproto.VirtualClusterInstKey | undefined,
  b: edgeproto.VirtualClusterInstKey | undefined,
): boolean {
  return (
    (a?.clusterKey?.name ?? '') === (b?.clusterKey?.name ?? '') &&
    (a?.organization ?? '') === (b?.organization ?? '') &&
    sameCloudlet(a?.cloudletKey, b?.cloudletKey)
  );
}
