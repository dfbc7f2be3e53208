import { invalidArgument } from '@edge/errors';
import type { Db } from '../db/db';
import { result, type AuthHandler } from '../http/routes';
import { authorize, type Rbac } from '../rbac/authorize';
import { MANAGER_ROLES, Resource } from '../rbac/matrix';
import { readRole } from './role-model';

/**
 * `auth/role/removeuser`: removing a role the user does not hold succeeds (the org may be
 * gone already); the caller needs users:manage on the org; an org keeps its last manager.
 */
export function removeUserRoleHandler(deps: { db: Db; authz: Rbac }): AuthHandler {
  return async (ctx) => {
    const { org, username, role } = readRole(ctx.fields);
    if (username === '') throw invalidArgument('Username not specified');
    if (role === '') throw invalidArgument('Role not specified');
    if (org !== '') ctx.audit.org = org;
    const held = await deps.db.one<{ subject: string }>(
      `SELECT subject FROM role_assignments WHERE org = $1 AND lower(subject) = lower($2) AND role = $3`,
      [org, username, role],
    );
    if (held) {
      await authorize(deps.authz, ctx.caller, org, Resource.Users, 'manage');
      await deps.db.tx(async (q) => {
        if (MANAGER_ROLES.includes(role)) {
          // Lock the org's managers so two concurrent removals cannot both pass the count.
          const managers = await q.query(
            `SELECT subject FROM role_assignments WHERE org = $1 AND role = $2 FOR UPDATE`,
            [org, role],
          );
          if (managers.length < 2)
            throw invalidArgument('Error: Cannot remove the last remaining manager of an org');
        }
        await q.query(`DELETE FROM role_assignments WHERE org = $1 AND subject = $2 AND role = $3`, [
          org,
          held.subject,
          role,
        ]);
      });
    }
    return result('Role removed from user');
  };
}
