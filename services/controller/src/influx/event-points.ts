import { create } from '@bufbuild/protobuf';
import { edgeproto, type ObjectRegistry } from '@edge/proto';
import type { RegionCache } from '@edge/store';
import { EVENT_MEASUREMENTS, type EventType, type LifecycleEvent } from './lifecycle-events';
import { IntField, type FieldValue, type InfluxPoint } from './points';

/** Name of the lifecycle events database (`cloudcommon.EventsDbName`). */
export const EVENTS_DB = 'events';

/** Where the point builders look up the App and Flavor of an instance. */
export interface EventLookups {
  app(key: edgeproto.AppKey | undefined): edgeproto.App | undefined;
  flavor(key: edgeproto.FlavorKey | undefined): edgeproto.Flavor | undefined;
}

/** {@link EventLookups} over the Controller's region cache. */
export function cacheLookups(reg: ObjectRegistry, cache: RegionCache): EventLookups {
  const appT = reg.get('App');
  const flavorT = reg.get('Flavor');
  return {
    app: (key) => cache.type<edgeproto.App>('App').get(appT.keyJson(create(edgeproto.AppSchema, { key }))),
    flavor: (key) =>
      cache.type<edgeproto.Flavor>('Flavor').get(flavorT.keyJson(create(edgeproto.FlavorSchema, { key }))),
  };
}

/**
 * The point the original writes for an event of `obj` (`RecordAppInstEvent`,
 * `RecordClusterInstEvent`, `RecordCloudletEvent`): measurement `appinst` / `clusterinst` /
 * `cloudlet`, the key parts as tags (the cloudlet organization as a field, since InfluxDB
 * needs at least one field to query), `event` and `status` fields, plus deployment, flavor and
 * sizes. For a delete, `obj` is the object as it was before.
 */
export function eventPoint(
  type: EventType,
  obj: edgeproto.AppInst | edgeproto.ClusterInst | edgeproto.Cloudlet,
  ev: LifecycleEvent,
  lookups: EventLookups,
  timestampNs: string,
): InfluxPoint {
  const base = { measurement: EVENT_MEASUREMENTS[type], timestampNs };
  const fields: Record<string, FieldValue> = { event: ev.event, status: ev.status };
  if (type === 'Cloudlet') {
    const key = (obj as edgeproto.Cloudlet).key;
    fields['cloudletorg'] = key?.organization ?? '';
    return { ...base, tags: { cloudlet: key?.name ?? '' }, fields };
  }
  if (type === 'ClusterInst')
    return { ...base, ...clusterInstPoint(obj as edgeproto.ClusterInst, fields, lookups) };
  return { ...base, ...appInstPoint(obj as edgeproto.AppInst, fields, lookups) };
}

function appInstPoint(
  inst: edgeproto.AppInst,
  fields: Record<string, FieldValue>,
  lookups: EventLookups,
): Pick<InfluxPoint, 'tags' | 'fields'> {
  const k = inst.key;
  const ci = k?.clusterInstKey;
  fields['cloudletorg'] = ci?.cloudletKey?.organization ?? '';
  const app = lookups.app(k?.appKey);
  if (app) {
    fields['deployment'] = app.deployment;
    if (app.deployment === 'vm') fields['flavor'] = inst.flavor?.name ?? '';
  }
  fields['realcluster'] = inst.realClusterName || (ci?.clusterKey?.name ?? '');
  const tags = {
    cloudlet: ci?.cloudletKey?.name ?? '',
    cluster: ci?.clusterKey?.name ?? '',
    clusterorg: ci?.organization ?? '',
    apporg: k?.appKey?.organization ?? '',
    app: k?.appKey?.name ?? '',
    ver: k?.appKey?.version ?? '',
  };
  return { tags, fields };
}

function clusterInstPoint(
  inst: edgeproto.ClusterInst,
  fields: Record<string, FieldValue>,
  lookups: EventLookups,
): Pick<InfluxPoint, 'tags' | 'fields'> {
  const k = inst.key;
  fields['cloudletorg'] = k?.cloudletKey?.organization ?? '';
  const flavor = lookups.flavor(inst.flavor);
  if (flavor) {
    fields['flavor'] = inst.flavor?.name ?? '';
    fields['ram'] = new IntField(flavor.ram);
    fields['vcpu'] = new IntField(flavor.vcpus);
    fields['disk'] = new IntField(flavor.disk);
    fields['nodecount'] = new IntField(BigInt(inst.numMasters + inst.numNodes));
    fields['other'] = goMap(flavor.optResMap);
  }
  fields['ipaccess'] = enumName(edgeproto.IpAccessSchema, inst.ipAccess);
  const tags = {
    cloudlet: k?.cloudletKey?.name ?? '',
    cluster: k?.clusterKey?.name ?? '',
    clusterorg: k?.organization ?? '',
    reservedBy: inst.reservedBy,
    // the org the cluster is reserved for, so that usage queries need no special case
    org: inst.reservedBy || (k?.organization ?? ''),
  };
  return { tags, fields };
}

/** A map as Go's `fmt.Sprintf("%v", m)` prints it (sorted keys): `map[gpu:pci:1]`. */
function goMap(m: Readonly<Record<string, string>>): string {
  const parts = Object.keys(m)
    .sort()
    .map((k) => `${k}:${m[k] ?? ''}`);
  return `map[${parts.join(' ')}]`;
}

/** The proto name of an enum value (`IP_ACCESS_DEDICATED`), as Go's `String()`. */
function enumName(schema: { values: readonly { number: number; name: string }[] }, n: number): string {
  return schema.values.find((v) => v.number === n)?.name ?? String(n);
}
