import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { RpcHandler } from '../grpc/services';
import type { ApiDeps } from './rules';

type Obj = Record<string, unknown>;

const path =
  (...fields: string[]) =>
  (o: Obj): unknown =>
    fields.reduce<unknown>((v, f) => (v as Obj | undefined)?.[f], o);

/**
 * Where each stored type names an organization (the original's `uses_org` options and
 * ClusterInst's custom check, which also counts the org a reservable cluster is
 * reserved by). Types not listed never count.
 */
const USES_ORG: Record<string, ((o: Obj) => unknown)[]> = {
  AlertPolicy: [path('key', 'organization')],
  App: [path('key', 'organization')],
  AppInst: [
    path('key', 'appKey', 'organization'),
    path('key', 'clusterInstKey', 'organization'),
    path('key', 'clusterInstKey', 'cloudletKey', 'organization'),
  ],
  AutoProvPolicy: [path('key', 'organization')],
  AutoScalePolicy: [path('key', 'organization')],
  Cloudlet: [path('key', 'organization')],
  CloudletPool: [path('key', 'organization')],
  ClusterInst: [
    path('key', 'organization'),
    path('key', 'cloudletKey', 'organization'),
    (o) => (o['reservable'] === true ? o['reservedBy'] : undefined),
  ],
  Network: [path('key', 'cloudletKey', 'organization')],
  OperatorCode: [path('organization')],
  ResTagTable: [path('key', 'organization')],
  TrustPolicy: [path('key', 'organization')],
  TrustPolicyException: [path('key', 'appKey', 'organization')],
  VMPool: [path('key', 'organization')],
};

/**
 * OrganizationInUse: never an error; a Result with code 1 and `in use by some App,
 * Cloudlet` (the types holding objects of the org, sorted) when any does.
 */
export function organizationHandlers(deps: ApiDeps): Record<string, RpcHandler> {
  return {
    OrganizationInUse: async (org: edgeproto.Organization) => {
      const types = new Map(deps.reg.all().map((t) => [t.name, t]));
      const usedBy = Object.entries(USES_ORG)
        .filter(([type, checks]) => {
          const t = types.get(type);
          if (!t) return false;
          return deps.cache
            .list(t)
            .some((o) => checks.some((check) => (check(o as unknown as Obj) ?? '') === org.name));
        })
        .map(([type]) => type)
        .sort();
      return usedBy.length
        ? create(edgeproto.ResultSchema, { message: `in use by some ${usedBy.join(', ')}`, code: 1 })
        : create(edgeproto.ResultSchema);
    },
  };
}
