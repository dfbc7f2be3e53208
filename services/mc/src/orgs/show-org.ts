import type { Db } from '../db/db';
import type { AuthHandler } from '../http/routes';
import type { Rbac } from '../rbac/authorize';
import { Resource } from '../rbac/matrix';
import { orgJson, orgRowToOrg, type OrgRow } from './org-model';
import { showFilter, type FilterColumn } from './show-filter';

const ORG_FILTER: readonly FilterColumn[] = [
  { field: 'Name', column: 'name', kind: 'string', ci: true },
  { field: 'Type', column: 'type', kind: 'string' },
  { field: 'Address', column: 'address', kind: 'string' },
  { field: 'Phone', column: 'phone', kind: 'string' },
  { field: 'PublicImages', column: 'public_images', kind: 'bool' },
  { field: 'DeleteInProgress', column: 'delete_in_progress', kind: 'bool' },
  { field: 'Parent', column: 'parent', kind: 'string', ci: true },
  { field: 'EdgeboxOnly', column: 'edgebox_only', kind: 'bool' },
];

/**
 * `auth/org/show`: the orgs matching the body's fields that the caller holds a role in;
 * admins (users:view on '') see all.
 */
export function showOrgHandler(deps: { db: Db; authz: Rbac }): AuthHandler {
  return async (ctx) => {
    const all = await deps.authz.allowed(ctx.caller.subject, '', Resource.Users, 'view');
    const { where, params } = showFilter(ctx.fields, ORG_FILTER, all ? 1 : 2);
    if (!all)
      where.push(`name IN (SELECT org FROM role_assignments WHERE lower(subject) = lower($1) AND org <> '')`);
    const rows = await deps.db.query<OrgRow>(
      `SELECT * FROM organizations ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name`,
      all ? params : [ctx.caller.subject, ...params],
    );
    return rows.map((r) => orgJson(orgRowToOrg(r)));
  };
}
