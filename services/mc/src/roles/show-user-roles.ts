import type { Db } from '../db/db';
import { forbidden } from '../http/errors';
import type { AuthHandler } from '../http/routes';
import type { Rbac } from '../rbac/authorize';
import { isApiKeyRole, Resource } from '../rbac/matrix';
import { assignmentJson, roleMatches, type AssignmentRow } from './role-model';

/**
 * `auth/role/showuser`: the roles in every org whose users the caller may view (what
 * role/adduser and role/removeuser act on); API-key roles are internal and hidden.
 */
export function showUserRolesHandler(deps: { db: Db; authz: Rbac }): AuthHandler {
  return async (ctx) => {
    const orgs = await deps.authz.orgsAllowed(ctx.caller.subject, Resource.Users, 'view');
    if (orgs !== 'all' && orgs.size === 0) throw forbidden();
    const rows =
      orgs === 'all'
        ? await deps.db.query<AssignmentRow>(
            `SELECT org, subject, role FROM role_assignments ORDER BY org, subject`,
          )
        : await deps.db.query<AssignmentRow>(
            `SELECT org, subject, role FROM role_assignments WHERE org = ANY($1::text[]) ORDER BY org, subject`,
            [[...orgs]],
          );
    return rows
      .filter((r) => !isApiKeyRole(r.role))
      .map(assignmentJson)
      .filter((r) => roleMatches(ctx.fields, r));
  };
}
