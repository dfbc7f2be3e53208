import { create, type Message } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { editObject } from '../crud/edit';
import { beingDeletedError, notFoundError } from '../crud/errors';
import { matches } from '../crud/match';
import type { RpcHandler } from '../grpc/services';
import { placementContext } from '../placement';
import { platformProps, propertyInfos, RESOURCE_QUOTA_DESC } from '../placement/platform-props';
import { COMMON_RESOURCES } from '../placement/resources';
import { cloudletResourceUsage } from './cloudlet-usage';
import { validateResName } from './opt-res';
import type { ApiDeps } from './rules';

type Cloudlet = edgeproto.Cloudlet;
type Obj = Record<string, unknown>;

/** The original's validateAllianceOrgs: not the cloudlet's own org, no duplicates. */
function validateAllianceOrgs(cl: Cloudlet): void {
  const seen = new Set<string>();
  for (const org of cl.allianceOrgs) {
    if (org === cl.key?.organization)
      throw invalidArgument(`Cannot add cloudlet's own org ${JSON.stringify(org)} as alliance org`);
    if (seen.has(org)) throw invalidArgument(`Duplicate alliance org ${JSON.stringify(org)} specified`);
    seen.add(org);
  }
}

function requireAllianceOrg(req: edgeproto.CloudletAllianceOrg): void {
  if (req.organization === '') throw invalidArgument('No alliance organization specified');
}

/**
 * Cloudlet RPCs beyond create/update/delete: resource-tag mappings, alliance orgs,
 * platform properties and quota properties, resource usage, organizations present.
 */
export function cloudletExtrasHandlers(deps: ApiDeps): Record<string, RpcHandler> {
  const { reg, store, cache } = deps;
  const cloudletType = reg.get('Cloudlet');
  const tagType = reg.get('ResTagTable');
  const holder = (key: edgeproto.CloudletKey | undefined): Message =>
    create(edgeproto.CloudletSchema, { key });
  const ctx = placementContext(deps);
  return {
    AddCloudletResMapping: async (req: edgeproto.CloudletResMap) => {
      await editObject<Cloudlet>(store, cloudletType, holder(req.key), async (cl, tx) => {
        if (cl.deletePrepare) throw beingDeletedError(cloudletType, cl);
        for (const [resource, table] of Object.entries(req.mapping)) {
          validateResName(resource);
          const key = create(edgeproto.ResTagTableKeySchema, {
            name: table,
            organization: req.key?.organization ?? '',
          });
          const tagHolder = create(edgeproto.ResTagTableSchema, { key });
          const tbl = await tx.get<edgeproto.ResTagTable>(tagType, tagHolder);
          if (!tbl) throw notFoundError(tagType, tagHolder);
          if (tbl.deletePrepare) throw beingDeletedError(tagType, tagHolder);
          cl.resTagMap[resource.toLowerCase()] = key;
        }
      });
      return {};
    },
    RemoveCloudletResMapping: async (req: edgeproto.CloudletResMap) => {
      await editObject<Cloudlet>(store, cloudletType, holder(req.key), (cl) => {
        for (const resource of Object.keys(req.mapping)) delete cl.resTagMap[resource];
      });
      return {};
    },
    AddCloudletAllianceOrg: async (req: edgeproto.CloudletAllianceOrg) => {
      requireAllianceOrg(req);
      await editObject<Cloudlet>(store, cloudletType, holder(req.key), (cl) => {
        cl.allianceOrgs.push(req.organization);
        validateAllianceOrgs(cl);
      });
      return {};
    },
    RemoveCloudletAllianceOrg: async (req: edgeproto.CloudletAllianceOrg) => {
      requireAllianceOrg(req);
      await editObject<Cloudlet>(store, cloudletType, holder(req.key), (cl) => {
        const i = cl.allianceOrgs.indexOf(req.organization);
        if (i >= 0) cl.allianceOrgs.splice(i, 1);
        return i >= 0;
      });
      return {};
    },
    GetCloudletProps: async (req: edgeproto.CloudletProps) =>
      create(edgeproto.CloudletPropsSchema, { properties: propertyInfos(platformProps(req.platformType)) }),
    GetCloudletResourceQuotaProps: async (req: edgeproto.CloudletResourceQuotaProps) => {
      const p = platformProps(req.platformType);
      const names = [...COMMON_RESOURCES.map(([n]) => n), ...Object.keys(p.perVmResources)];
      return create(edgeproto.CloudletResourceQuotaPropsSchema, {
        properties: names.map((name) => ({ name, description: RESOURCE_QUOTA_DESC[name] ?? '' })),
      });
    },
    GetCloudletResourceUsage: (req: edgeproto.CloudletResourceUsage) =>
      store.apply((tx) => cloudletResourceUsage(ctx, tx, req)),
    GetOrganizationsOnCloudlet: async function* (req: edgeproto.CloudletKey) {
      const orgs = new Set<string>();
      const onCloudlet = <T extends Message>(type: string, filter: Message): T[] => {
        const t = reg.get(type);
        return cache
          .list<T>(t)
          .filter((o) => matches(t.schema, filter as unknown as Obj, o as unknown as Obj));
      };
      const aiFilter = create(edgeproto.AppInstSchema, { key: { clusterInstKey: { cloudletKey: req } } });
      for (const { key } of onCloudlet<edgeproto.AppInst>('AppInst', aiFilter)) {
        orgs.add(key?.appKey?.organization ?? '');
        orgs.add(key?.clusterInstKey?.organization ?? '');
      }
      const ciFilter = create(edgeproto.ClusterInstSchema, { key: { cloudletKey: req } });
      for (const { key } of onCloudlet<edgeproto.ClusterInst>('ClusterInst', ciFilter))
        orgs.add(key?.organization ?? '');
      for (const name of [...orgs].sort()) yield create(edgeproto.OrganizationSchema, { name });
    },
  };
}
