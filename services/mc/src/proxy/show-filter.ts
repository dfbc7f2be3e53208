import type { Message } from '@bufbuild/protobuf';
import type { ObjectType, edgeproto } from '@edge/proto';
import type { Caller } from '../auth/caller';
import { forbidden } from '../http/errors';
import { Resource } from '../rbac/matrix';
import { CloudletAuthz, developerCloudlet, type CloudletAuthzDeps } from './cloudlet-authz';
import { stringAt, valueAt } from './field-path';
import { keyId, regionPools } from './pools';

/** Keeps (possibly reduced) or drops one streamed item. */
export type ItemFilter = (m: Message) => Message | undefined;

/** Where the cloudlet key of instances sits: operators see instances on cloudlets of their pools. */
const CLOUDLET_KEY_PATH: Readonly<Record<string, string>> = {
  AppInst: 'key.cluster_inst_key.cloudlet_key',
  ClusterInst: 'key.cloudlet_key',
};

/**
 * The filter of a Show of `type`: objects of orgs the caller may not view are dropped
 * (403 when the caller may view it in no org), cloudlets are reduced for developers,
 * instances on an operator's pool cloudlets are shown to that operator.
 */
export async function showFilter(
  deps: CloudletAuthzDeps,
  type: ObjectType,
  resource: string,
  caller: Caller,
  region: string,
  traceId: string,
): Promise<ItemFilter | undefined> {
  if (type.name === 'Cloudlet') {
    const authz = await CloudletAuthz.build(deps, region, caller.subject, '', resource, 'view', traceId);
    return (m) => {
      const c = m as edgeproto.Cloudlet;
      const v = authz.check(c.key);
      if (!v.ok) return undefined;
      return v.filter ? developerCloudlet(c) : c;
    };
  }
  if (type.name === 'Alert') return alertFilter(deps, resource, caller);
  // Objects without an org (flavors) are visible to every user, as in the original.
  if (!type.rbacOrgField) return undefined;
  const orgs = await deps.rbac.orgsAllowed(caller.subject, resource, 'view');
  if (orgs === 'all') return undefined;
  const keyPath = CLOUDLET_KEY_PATH[type.name];
  const poolCloudlets = new Set<string>();
  if (keyPath) {
    const operOrgs = await deps.rbac.orgsAllowed(caller.subject, Resource.CloudletPools, 'view');
    if (operOrgs === 'all' || operOrgs.size > 0) {
      for (const p of await regionPools(deps.regions, region, traceId)) {
        if (operOrgs !== 'all' && !operOrgs.has(p.key?.organization ?? '')) continue;
        for (const c of p.cloudlets) poolCloudlets.add(keyId(c));
      }
    }
  }
  if (orgs.size === 0 && poolCloudlets.size === 0) throw forbidden();
  return (m) => {
    if (orgs.has(stringAt(type.schema, m, type.rbacOrgField))) return m;
    if (keyPath && poolCloudlets.has(keyId(valueAt(type.schema, m, keyPath) as edgeproto.CloudletKey)))
      return m;
    return undefined;
  };
}

/** Alerts by the org in their labels (`apporg`, or `cloudletorg` for cloudlet-scoped ones). */
async function alertFilter(
  deps: CloudletAuthzDeps,
  resource: string,
  caller: Caller,
): Promise<ItemFilter | undefined> {
  const orgs = await deps.rbac.orgsAllowed(caller.subject, resource, 'view');
  if (orgs === 'all') return undefined;
  if (orgs.size === 0) throw forbidden();
  return (m) => {
    const labels = (m as edgeproto.Alert).labels;
    if (!labels['alertname']) return undefined;
    const org = labels['scope'] === 'Cloudlet' ? labels['cloudletorg'] : labels['apporg'];
    return orgs.has(org ?? '') ? m : undefined;
  };
}
