import { create } from '@bufbuild/protobuf';
import type { NotifyCodec } from '@edge/notify';
import { edgeproto } from '@edge/proto';

/** Key JSON of an AppInst's App. */
export function appKeyJson(codec: Pick<NotifyCodec, 'keyJson'>, ai: edgeproto.AppInst): string {
  return codec.keyJson(edgeproto.AppSchema.typeName, create(edgeproto.AppSchema, { key: ai.key?.appKey }));
}

/**
 * The ClusterInst an AppInst runs on (the original's `AppInst.ClusterInstKey()`): its
 * virtual cluster key with the real cluster name when it has one (reservable clusters).
 */
export function realClusterKey(ai: edgeproto.AppInst): edgeproto.ClusterInstKey {
  const v = ai.key?.clusterInstKey;
  return create(edgeproto.ClusterInstKeySchema, {
    clusterKey: { name: ai.realClusterName || (v?.clusterKey?.name ?? '') },
    cloudletKey: v?.cloudletKey,
    organization: v?.organization ?? '',
  });
}

/** Key JSON of {@link realClusterKey}. */
export function realClusterKeyJson(codec: Pick<NotifyCodec, 'keyJson'>, ai: edgeproto.AppInst): string {
  return codec.keyJson(
    edgeproto.ClusterInstSchema.typeName,
    create(edgeproto.ClusterInstSchema, { key: realClusterKey(ai) }),
  );
}

/** Key JSON of a flavor by name. */
export function flavorKeyJson(codec: Pick<NotifyCodec, 'keyJson'>, name: string): string {
  return codec.keyJson(edgeproto.FlavorSchema.typeName, create(edgeproto.FlavorSchema, { key: { name } }));
}
