import { create, toJsonString } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';

/**
 * Key JSON as the registry's `keyJson` renders it (proto field names, zero fields
 * omitted): what `list*` return so the CRM can compare with its desired state.
 */
export function clusterInstKeyJson(key: edgeproto.ClusterInstKey | undefined): string {
  const k = key ?? create(edgeproto.ClusterInstKeySchema);
  return toJsonString(edgeproto.ClusterInstKeySchema, k, { useProtoFieldName: true });
}

/** Key JSON of an AppInstKey, as {@link clusterInstKeyJson}. */
export function appInstKeyJson(key: edgeproto.AppInstKey | undefined): string {
  const k = key ?? create(edgeproto.AppInstKeySchema);
  return toJsonString(edgeproto.AppInstKeySchema, k, { useProtoFieldName: true });
}
