import { create } from '@bufbuild/protobuf';
import { EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import type { Regions } from './regions';

/**
 * Asks every region's Controller whether `org` is still used there (OrganizationInUse);
 * resolves the first region's answer (its `in use by …` text, or the error that kept it from
 * answering), or undefined when no region uses it — the check
 * before an org may be deleted.
 */
export function orgInUseAcrossRegions(regions: Regions): (org: string) => Promise<string | undefined> {
  return async (org) => {
    for (const r of await regions.list()) {
      try {
        const client = await regions.client(r.region, edgeproto.OrganizationApi);
        const res = await client.organizationInUse(create(edgeproto.OrganizationSchema, { name: org }));
        if (res.message) return res.message;
      } catch (err) {
        return EdgeError.from(err).message;
      }
    }
    return undefined;
  };
}

/** Whether the cloudlet pool `poolOrg/pool` exists in `region` (asked of its Controller). */
export function poolExistsInRegion(regions: Regions) {
  return async (region: string, poolOrg: string, pool: string): Promise<boolean> => {
    const client = await regions.client(region, edgeproto.CloudletPoolApi);
    for await (const p of client.showCloudletPool({ key: { organization: poolOrg, name: pool } }))
      if (p.key?.name === pool && p.key.organization === poolOrg) return true;
    return false;
  };
}
