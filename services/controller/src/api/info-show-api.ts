import { clone, create, type DescMessage, type Message } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { matches } from '../crud/match';
import type { RpcHandler } from '../grpc/services';
import type { ApiDeps } from './rules';

type Obj = Record<string, unknown>;

/** An AppInstInfo as the CRM would report it, from what the AppInst holds of its reports. */
export function appInstInfoOf(inst: edgeproto.AppInst): edgeproto.AppInstInfo {
  return create(edgeproto.AppInstInfoSchema, {
    key: inst.key,
    state: inst.state,
    errors: [...inst.errors],
    runtimeInfo: inst.runtimeInfo,
    uri: inst.uri,
    powerState: inst.powerState,
  });
}

/** A ClusterInstInfo as the CRM would report it, from what the ClusterInst holds of its reports. */
export function clusterInstInfoOf(ci: edgeproto.ClusterInst): edgeproto.ClusterInstInfo {
  return create(edgeproto.ClusterInstInfoSchema, {
    key: ci.key,
    state: ci.state,
    errors: [...ci.errors],
    resources: ci.resources,
  });
}

/**
 * ShowAppInstInfo / ShowClusterInstInfo. Info objects are not stored (the CRM's reports
 * land in the AppInst/ClusterInst and the stream records, ADR 0006), so they are derived
 * from the cached objects and filtered like Show.
 */
export function infoShowHandlers(deps: ApiDeps): Record<string, RpcHandler> {
  const show = <T extends Message, I extends Message>(
    type: string,
    schema: DescMessage,
    derive: (o: T) => I,
  ): RpcHandler =>
    async function* (filter: I) {
      for (const obj of deps.cache.list<T>(deps.reg.get(type))) {
        const info = derive(obj);
        if (matches(schema, filter as unknown as Obj, info as unknown as Obj)) yield clone(schema, info);
      }
    };
  return {
    ShowAppInstInfo: show('AppInst', edgeproto.AppInstInfoSchema, appInstInfoOf),
    ShowClusterInstInfo: show('ClusterInst', edgeproto.ClusterInstInfoSchema, clusterInstInfoOf),
  };
}
