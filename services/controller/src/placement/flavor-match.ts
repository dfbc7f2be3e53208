import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { notFoundError } from '../crud/errors';
import type { RpcHandler } from '../grpc/services';
import { cacheGet, holder, type PlacementContext } from './context';
import { getVmSpec, resTables, type VmSpec } from './vmspec';

/** The platform flavor a mex flavor maps to on a cloudlet (from the cache). */
export async function findFlavorMatch(
  ctx: PlacementContext,
  key: edgeproto.CloudletKey | undefined,
  flavorName: string,
): Promise<VmSpec> {
  const { Cloudlet, CloudletInfo, Flavor, ResTagTable } = ctx.t;
  const cloudlet = cacheGet<edgeproto.Cloudlet>(ctx, Cloudlet, key);
  const info = cacheGet<edgeproto.CloudletInfo>(ctx, CloudletInfo, key);
  // the original reports each missing object as the cloudlet key not found
  const missing = notFoundError(Cloudlet, holder(Cloudlet, key));
  if (!cloudlet || !info) throw missing;
  const flavor = cacheGet<edgeproto.Flavor>(ctx, Flavor, { name: flavorName });
  if (!flavor) throw missing;
  const tbls = await resTables(cloudlet, async (k) => cacheGet<edgeproto.ResTagTable>(ctx, ResTagTable, k));
  return getVmSpec(flavor, info, tbls);
}

/** FindFlavorMatch and ShowFlavorsForCloudlet. */
export function flavorMatchHandlers(ctx: PlacementContext): Record<string, RpcHandler> {
  return {
    FindFlavorMatch: async (req: edgeproto.FlavorMatch) => {
      const spec = await findFlavorMatch(ctx, req.key, req.flavorName);
      return create(edgeproto.FlavorMatchSchema, {
        key: req.key,
        flavorName: spec.flavorName,
        availabilityZone: spec.availabilityZone,
      });
    },
    ShowFlavorsForCloudlet: async function* (req: edgeproto.CloudletKey) {
      const { Cloudlet, Flavor } = ctx.t;
      const keys = ctx.deps.cache
        .list<edgeproto.Cloudlet>(Cloudlet)
        .map((c) => c.key)
        .filter(
          (k) =>
            (!req.organization || k?.organization === req.organization) &&
            (!req.name || k?.name === req.name) &&
            (!req.federatedOrganization || k?.federatedOrganization === req.federatedOrganization),
        );
      const names = new Set<string>();
      for (const k of keys) {
        for (const f of ctx.deps.cache.list<edgeproto.Flavor>(Flavor)) {
          const name = f.key?.name ?? '';
          try {
            await findFlavorMatch(ctx, k, name);
            names.add(name);
          } catch {
            // not offered on this cloudlet
          }
        }
      }
      for (const name of [...names].sort()) yield create(edgeproto.FlavorKeySchema, { name });
    },
  };
}
