import type { Message } from '@bufbuild/protobuf';
import { edgeproto, options, type ObjectRegistry, type RpcInfo } from '@edge/proto';
import type { Caller } from '../auth/caller';
import { forbidden } from '../http/errors';
import { authorize, type AuthorizeOpts } from '../rbac/authorize';
import type { Action } from '../rbac/authorizer';
import { CloudletAuthz, type CloudletAuthzDeps } from './cloudlet-authz';
import { parentPath, stringAt, valueAt } from './field-path';
import { showFilter, type ItemFilter } from './show-filter';

/** The MobiledgeX org: sidecar apps and reservable clusters belong to it. */
const ORG_MOBILEDGEX = 'MobiledgeX';

/** Dependencies of the per-RPC checks. */
export interface RpcAuthzDeps extends CloudletAuthzDeps {
  readonly reg: ObjectRegistry;
}

/** One proxied call as the checks see it. */
export interface RpcCall {
  readonly rpc: RpcInfo;
  readonly caller: Caller;
  readonly region: string;
  readonly req: Message;
  readonly traceId: string;
}

/** `manage` or `view` of an RPC. */
export const actionOf = (rpc: RpcInfo): Action =>
  rpc.rbacAction === options.RbacAction.MANAGE ? 'manage' : 'view';

/**
 * The path of the org the RPC acts in: the RPC's own, else for key requests (StreamAppInst
 * takes an AppInstKey) the object's org path with its leading `key.` removed.
 */
export function orgFieldOf(reg: ObjectRegistry, rpc: RpcInfo): string {
  if (rpc.rbacOrgField) return rpc.rbacOrgField;
  const owner = reg.all().find((t) => t.keySchema?.typeName === rpc.method.input.typeName);
  const f = owner?.rbacOrgField ?? '';
  return f.startsWith('key.') ? f.slice(4) : '';
}

/** The org a request acts in ('' when it names none). */
export function orgOf(reg: ObjectRegistry, rpc: RpcInfo, req: Message): string {
  return stringAt(rpc.method.input, req, orgFieldOf(reg, rpc));
}

/**
 * Checks that the caller may make the call, the original's per-RPC RBAC: admin-only RPCs
 * against org '', others against the request's org (creates also require that org to
 * exist and be of the right type), instance creates against the cloudlet-pool rules.
 * Shows are not refused per object but filtered: the returned filter drops (or reduces)
 * what the caller may not see. Throws 403 `Forbidden` on denial.
 */
export async function authorizeRpc(deps: RpcAuthzDeps, call: RpcCall): Promise<ItemFilter | undefined> {
  const { rpc, caller, req } = call;
  const action = actionOf(rpc);
  const resource = rpc.rbacResource;
  if (rpc.adminOnly) {
    await authorize(deps.rbac, caller, '', resource, action);
    return undefined;
  }
  const out = rpc.method.output;
  const shown = deps.reg.find(out.typeName);
  if (rpc.method.methodKind === 'server_streaming' && action === 'view') {
    if (shown) return showFilter(deps, shown, resource, caller, call.region, call.traceId);
    if (out.typeName === edgeproto.CloudletKeySchema.typeName) {
      const authz = await CloudletAuthz.build(
        deps,
        call.region,
        caller.subject,
        '',
        resource,
        action,
        call.traceId,
      );
      return (m) => (authz.check(m as edgeproto.CloudletKey).ok ? m : undefined);
    }
  }
  const org = orgOf(deps.reg, rpc, req);
  const name = rpc.name;
  if (name === 'CreateAppInst' || name === 'CreateClusterInst') {
    await authorizeInstCreate(deps, call, org, resource, action);
    return undefined;
  }
  if (resource === 'cloudlets' && action === 'view') {
    // Developers view cloudlets they may deploy to, not by org.
    const authz = await CloudletAuthz.build(
      deps,
      call.region,
      caller.subject,
      '',
      resource,
      action,
      call.traceId,
    );
    const key = valueAt(rpc.method.input, req, parentPath(orgFieldOf(deps.reg, rpc)));
    if (!authz.check(key as edgeproto.CloudletKey).ok) throw forbidden();
    return undefined;
  }
  const opts: AuthorizeOpts = name.startsWith('Create') ? { requiresOrg: true } : {};
  if (name === 'CreateCloudlet') {
    const c = req as edgeproto.Cloudlet;
    await authorize(deps.rbac, caller, org, resource, action, {
      requiresOrg: true,
      noEdgeboxOnly: c.platformType !== edgeproto.PlatformType.EDGEBOX,
      referenceOrgs: c.allianceOrgs.map((o) => ({ org: o, desc: 'alliance', type: 'operator' })),
    });
    return undefined;
  }
  await authorize(deps.rbac, caller, org, resource, action, opts);
  return undefined;
}

/** A ClusterInst or AppInst may go only to cloudlets the developer org may use. */
async function authorizeInstCreate(
  deps: RpcAuthzDeps,
  call: RpcCall,
  org: string,
  resource: string,
  action: Action,
): Promise<void> {
  await authorize(deps.rbac, call.caller, org, resource, action, { requiresOrg: true });
  const authz = await CloudletAuthz.build(
    deps,
    call.region,
    call.caller.subject,
    org,
    resource,
    action,
    call.traceId,
  );
  let cloudletKey: edgeproto.CloudletKey | undefined;
  if (call.rpc.name === 'CreateAppInst') {
    const inst = call.req as edgeproto.AppInst;
    cloudletKey = inst.key?.clusterInstKey?.cloudletKey;
    const clusterOrg = inst.key?.clusterInstKey?.organization ?? '';
    // Only MobiledgeX (sidecar apps, reservable clusters) may cross org lines.
    if (clusterOrg !== '' && clusterOrg !== org && org !== ORG_MOBILEDGEX && clusterOrg !== ORG_MOBILEDGEX)
      throw forbidden();
  } else {
    cloudletKey = (call.req as edgeproto.ClusterInst).key?.cloudletKey;
  }
  if (!authz.check(cloudletKey).ok) throw forbidden();
}
