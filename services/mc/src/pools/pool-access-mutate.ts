import { invalidArgument } from '@edge/errors';
import type { Db } from '../db/db';
import { result, type AuthHandler } from '../http/routes';
import { authorize, type Rbac } from '../rbac/authorize';
import { Resource } from '../rbac/matrix';
import { OrgTypeDeveloper } from '../orgs/org-model';
import { findOrg } from '../orgs/org-queries';
import {
  DECISION_ACCEPT,
  DECISION_REJECT,
  INVITATION,
  RESPONSE,
  readPoolAccess,
  type AccessType,
  type PoolAccess,
} from './pool-access-model';

/** Whether the pool exists in the region (asked of its Controller); absent = not checked. */
export type PoolExists = (region: string, poolOrg: string, pool: string) => Promise<boolean>;

export interface PoolAccessDeps {
  readonly db: Db;
  readonly authz: Rbac;
  readonly poolExists?: PoolExists | undefined;
}

/**
 * `cloudletpoolaccess{invitation,response}/{create,delete}`: invitations are the pool
 * operator's (cloudletpools:manage on CloudletPoolOrg), responses the developer's
 * (users:manage on Org); a response needs an invitation, and deleting an invitation
 * deletes its response.
 */
export function poolAccessHandler(
  deps: PoolAccessDeps,
  action: 'create' | 'delete',
  type: AccessType,
): AuthHandler {
  return async (ctx) => {
    const a = readPoolAccess(ctx.fields);
    let decision = '';
    if (type === INVITATION) {
      ctx.audit.org = a.cloudletPoolOrg;
      await authorize(deps.authz, ctx.caller, a.cloudletPoolOrg, Resource.CloudletPools, 'manage');
    } else {
      ctx.audit.org = a.org;
      await authorize(deps.authz, ctx.caller, a.org, Resource.Users, 'manage');
      if (action === 'create') {
        decision = a.decision;
        if (decision !== DECISION_ACCEPT && decision !== DECISION_REJECT)
          throw invalidArgument(`Decision must be either ${DECISION_ACCEPT} or ${DECISION_REJECT}`);
        const invited = await deps.db.query(
          `SELECT 1 FROM org_cloudlet_pools WHERE lower(org) = lower($1) AND region = $2 AND cloudlet_pool = $3
             AND lower(cloudlet_pool_org) = lower($4) AND type = $5`,
          [a.org, a.region, a.cloudletPool, a.cloudletPoolOrg, INVITATION],
        );
        if (invited.length === 0) throw invalidArgument('No invitation for specified cloudlet pool access');
      }
    }
    if (action === 'create') await create(deps, a, type, decision);
    else {
      await remove(deps.db, a, type);
      // A response must not outlive its invitation.
      if (type === INVITATION) await remove(deps.db, a, RESPONSE).catch(() => undefined);
    }
    return result(`${type} ${action}d`);
  };
}

const FK_MESSAGES: Readonly<Record<string, (a: PoolAccess) => string>> = {
  org_cloudlet_pools_org_fkey: (a) => `Specified Organization ${a.org} does not exist`,
  org_cloudlet_pools_region_fkey: (a) => `Specified Region ${a.region} does not exist`,
  org_cloudlet_pools_cloudletpoolorg_fkey: (a) =>
    `Specified CloudletPoolOrg ${a.cloudletPoolOrg} does not exist`,
};

async function create(
  deps: PoolAccessDeps,
  a: PoolAccess,
  type: AccessType,
  decision: string,
): Promise<void> {
  const org = await findOrg(deps.db, a.org);
  if (!org) throw invalidArgument('Specified developer organization not found');
  if (org.type !== OrgTypeDeveloper)
    throw invalidArgument('Specified organization is not a developer organization');
  if (deps.poolExists && !(await deps.poolExists(a.region, a.cloudletPoolOrg, a.cloudletPool)))
    throw invalidArgument(
      `Specified CloudletPool ${a.cloudletPool} org ${a.cloudletPoolOrg} for region ${a.region} not found`,
    );
  // Names as stored (orgs are matched case-insensitively, as the original's citext columns).
  const poolOrg = (await findOrg(deps.db, a.cloudletPoolOrg))?.name ?? a.cloudletPoolOrg;
  try {
    await deps.db.query(
      `INSERT INTO org_cloudlet_pools (org, region, cloudlet_pool, cloudlet_pool_org, type, decision)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [org.name, a.region, a.cloudletPool, poolOrg, type, decision],
    );
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    const fk = e.code === '23503' && e.constraint ? FK_MESSAGES[e.constraint] : undefined;
    if (fk) throw invalidArgument(fk(a));
    if (e.code === '23505')
      throw invalidArgument(
        `CloudletPool ${type} for org ${a.org}, region ${a.region}, pool ${a.cloudletPool} poolorg ${a.cloudletPoolOrg} already exists`,
      );
    throw err;
  }
}

async function remove(db: Db, a: PoolAccess, type: AccessType): Promise<void> {
  const rows = await db.query(
    `DELETE FROM org_cloudlet_pools WHERE lower(org) = lower($1) AND region = $2 AND cloudlet_pool = $3
       AND lower(cloudlet_pool_org) = lower($4) AND type = $5 RETURNING 1`,
    [a.org, a.region, a.cloudletPool, a.cloudletPoolOrg, type],
  );
  if (rows.length === 0) throw invalidArgument(`${type.charAt(0).toUpperCase()}${type.slice(1)} not found`);
}
