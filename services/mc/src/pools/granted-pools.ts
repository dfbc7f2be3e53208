import type { Queryable } from '../db/db';
import { DECISION_ACCEPT, INVITATION, RESPONSE } from './pool-access-model';

/** A cloudlet pool a developer org may deploy to. */
export interface GrantedPool {
  /** The developer org granted access. */
  readonly org: string;
  /** The pool's name. */
  readonly pool: string;
  /** The operator org owning the pool. */
  readonly poolOrg: string;
}

/**
 * The cloudlet pools of `region` granted to developer orgs — the operator invited the org
 * and it accepted (both rows exist) — for `devOrg` only when given. The proxy uses this for
 * developers' view of private cloudlets.
 */
export async function grantedPools(db: Queryable, region: string, devOrg?: string): Promise<GrantedPool[]> {
  const rows = await db.query<{ org: string; cloudlet_pool: string; cloudlet_pool_org: string }>(
    `SELECT i.org, i.cloudlet_pool, i.cloudlet_pool_org
       FROM org_cloudlet_pools i JOIN org_cloudlet_pools r
         ON r.org = i.org AND r.region = i.region AND r.cloudlet_pool = i.cloudlet_pool
        AND r.cloudlet_pool_org = i.cloudlet_pool_org
      WHERE i.type = $3 AND r.type = $4 AND r.decision = $5
        AND i.region = $1 AND ($2::text IS NULL OR lower(i.org) = lower($2))
      ORDER BY i.org, i.cloudlet_pool_org, i.cloudlet_pool`,
    [region, devOrg ?? null, INVITATION, RESPONSE, DECISION_ACCEPT],
  );
  return rows.map((r) => ({ org: r.org, pool: r.cloudlet_pool, poolOrg: r.cloudlet_pool_org }));
}
