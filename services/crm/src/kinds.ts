import { create, type Message } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { Platform } from '@edge/platform';

/** Fields of Settings (and of Cloudlet.time_limits) that limit one operation. */
export type TimeLimitField =
  | 'createClusterInstTimeout'
  | 'updateClusterInstTimeout'
  | 'deleteClusterInstTimeout'
  | 'createAppInstTimeout'
  | 'updateAppInstTimeout'
  | 'deleteAppInstTimeout';

/** An AppInstInfo or ClusterInstInfo. */
export type InstInfo = edgeproto.AppInstInfo | edgeproto.ClusterInstInfo;

/** What differs between the two kinds of instances the CRM reconciles. */
export interface InstKind {
  readonly name: 'ClusterInst' | 'AppInst';
  /** Full proto names of the object and its info. */
  readonly type: string;
  readonly infoType: string;
  /** A fresh info for the instance with key JSON `keyJson` (built from `obj`'s key). */
  newInfo(obj: Message): InstInfo;
  /** Key JSONs of the instances the platform has. */
  list(platform: Platform): Promise<string[]>;
  readonly limits: {
    readonly create: TimeLimitField;
    readonly update: TimeLimitField;
    readonly delete: TimeLimitField;
  };
}

export const CLUSTER_INST: InstKind = {
  name: 'ClusterInst',
  type: edgeproto.ClusterInstSchema.typeName,
  infoType: edgeproto.ClusterInstInfoSchema.typeName,
  newInfo: (obj) => create(edgeproto.ClusterInstInfoSchema, { key: (obj as edgeproto.ClusterInst).key }),
  list: (p) => p.listClusterInsts(),
  limits: {
    create: 'createClusterInstTimeout',
    update: 'updateClusterInstTimeout',
    delete: 'deleteClusterInstTimeout',
  },
};

export const APP_INST: InstKind = {
  name: 'AppInst',
  type: edgeproto.AppInstSchema.typeName,
  infoType: edgeproto.AppInstInfoSchema.typeName,
  newInfo: (obj) => create(edgeproto.AppInstInfoSchema, { key: (obj as edgeproto.AppInst).key }),
  list: (p) => p.listAppInsts(),
  limits: { create: 'createAppInstTimeout', update: 'updateAppInstTimeout', delete: 'deleteAppInstTimeout' },
};

/** Both kinds; AppInsts first, so that leftovers are removed before the clusters they run on. */
export const KINDS: readonly InstKind[] = [APP_INST, CLUSTER_INST];

/** The kind of an object type (full proto name), if it is one the CRM reconciles. */
export function kindOfType(type: string): InstKind | undefined {
  return KINDS.find((k) => k.type === type);
}
