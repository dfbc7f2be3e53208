import type { Db } from '../db/db';
import { forbidden } from '../http/errors';
import type { AuthHandler } from '../http/routes';
import type { Rbac } from '../rbac/authorize';
import { Resource } from '../rbac/matrix';
import { showFilter, type FilterColumn } from '../orgs/show-filter';
import {
  DECISION_ACCEPT,
  INVITATION,
  RESPONSE,
  poolAccessJson,
  type PoolAccessRow,
} from './pool-access-model';

/** What a show lists: the stored rows of one type, or the derived granted / pending pairs. */
export type ShowKind = typeof INVITATION | typeof RESPONSE | 'granted' | 'pending';

const FILTER: readonly FilterColumn[] = [
  { field: 'Org', column: 'org', kind: 'string', ci: true },
  { field: 'Region', column: 'region', kind: 'string' },
  { field: 'CloudletPool', column: 'cloudlet_pool', kind: 'string' },
  { field: 'CloudletPoolOrg', column: 'cloudlet_pool_org', kind: 'string', ci: true },
  { field: 'Decision', column: 'decision', kind: 'string' },
];

/**
 * `cloudletpoolaccess{invitation,response,granted,pending}/show`: rows the caller sees
 * as the pool's operator (cloudletpools:view) or the invited developer (users:view);
 * granted = invitation + accepting response, pending = invitation without response.
 */
export function showPoolAccessHandler(deps: { db: Db; authz: Rbac }, kind: ShowKind): AuthHandler {
  return async (ctx) => {
    const subject = ctx.caller.subject;
    const operOrgs = await deps.authz.orgsAllowed(subject, Resource.CloudletPools, 'view');
    const devOrgs = await deps.authz.orgsAllowed(subject, Resource.Users, 'view');
    if (operOrgs !== 'all' && devOrgs !== 'all' && operOrgs.size === 0 && devOrgs.size === 0)
      throw forbidden();
    const ok = (r: PoolAccessRow): boolean =>
      operOrgs === 'all' || operOrgs.has(r.cloudlet_pool_org) || devOrgs === 'all' || devOrgs.has(r.org);

    const { where, params } = showFilter(ctx.fields, FILTER);
    const stored = kind === INVITATION || kind === RESPONSE;
    if (stored) {
      params.push(kind);
      where.push(`type = $${params.length}`);
    }
    const rows = (
      await deps.db.query<PoolAccessRow>(
        `SELECT org, region, cloudlet_pool, cloudlet_pool_org, type, decision FROM org_cloudlet_pools
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY org, region, cloudlet_pool_org, cloudlet_pool, type`,
        params,
      )
    ).filter(ok);
    if (stored) return rows.map((r) => poolAccessJson(r, false));
    return pairs(rows, kind).map((r) => poolAccessJson(r, false));
  };
}

/** Invitations with an accepting response (granted) or with no response at all (pending). */
function pairs(rows: readonly PoolAccessRow[], kind: 'granted' | 'pending'): PoolAccessRow[] {
  const key = (r: PoolAccessRow): string =>
    JSON.stringify([r.org, r.region, r.cloudlet_pool, r.cloudlet_pool_org]);
  const responses = new Map(rows.filter((r) => r.type === RESPONSE).map((r) => [key(r), r.decision]));
  return rows
    .filter((r) => r.type === INVITATION)
    .filter((r) => (kind === 'granted' ? responses.get(key(r)) === DECISION_ACCEPT : !responses.has(key(r))))
    .map((r) => ({ ...r, type: '', decision: '' }));
}
