import { invalidArgument } from '@edge/errors';
import { checkPasswordStrength } from '../auth/passwords';
import { withDefaults } from '../config-api/runtime-config';
import type { Db } from '../db/db';
import { result, type AuthHandler } from '../http/routes';
import { authorize, type Rbac } from '../rbac/authorize';
import { isAdminRole, isDeveloperRole, isOperatorRole, Resource } from '../rbac/matrix';
import { OrgTypeDeveloper, OrgTypeOperator } from '../orgs/org-model';
import { findOrg } from '../orgs/org-queries';
import { readRole } from './role-model';

/**
 * `auth/role/adduser`: gives a user a role in an org (admin roles: the global org '').
 * The checks and their order are the original's: the request's shape, the target user
 * (admins need a verified strong password), the role and the org's type, one role per
 * user per org, then the caller's users:manage on that org.
 */
export function addUserRoleHandler(deps: { db: Db; authz: Rbac }): AuthHandler {
  return async (ctx) => {
    const { org, username, role } = readRole(ctx.fields);
    if (username === '') throw invalidArgument('Username not specified');
    if (role === '') throw invalidArgument('Role not specified');
    if (username.toLowerCase() === org.toLowerCase())
      throw invalidArgument('org name cannot be same as existing user name');
    if (org !== '') ctx.audit.org = org;
    const adminRole = isAdminRole(role);
    if (adminRole && org !== '')
      throw invalidArgument('Admin roles cannot be associated with an org, please specify the empty org ""');
    if (!adminRole && org === '') throw invalidArgument('Org name must be specified for the specified role');

    const target = await deps.db.one<{ name: string; pass_crack_time_sec: number }>(
      `SELECT name, pass_crack_time_sec FROM users WHERE lower(name) = lower($1)`,
      [username],
    );
    if (!target) throw invalidArgument('Username not found');
    if (adminRole) {
      if (target.pass_crack_time_sec === 0)
        throw invalidArgument(
          'Target user password strength not verified, please have user log in to verify password strength',
        );
      checkPasswordStrength(target.pass_crack_time_sec, await adminMinCrackTimeSec(deps.db));
    }
    const known = await deps.db.query(`SELECT 1 FROM role_perms WHERE role = $1 LIMIT 1`, [role]);
    if (known.length === 0) throw invalidArgument('Role not found');
    if (org !== '') {
      const o = await findOrg(deps.db, org);
      if (!o) throw invalidArgument('Organization not found');
      if (o.type === OrgTypeDeveloper && !isDeveloperRole(role))
        throw invalidArgument('Can only assign developer roles for developer organization');
      if (o.type === OrgTypeOperator && !isOperatorRole(role))
        throw invalidArgument('Can only assign operator roles for operator organization');
      const existing = await deps.db.one<{ role: string; org: string }>(
        `SELECT role, org FROM role_assignments WHERE org = $1 AND lower(subject) = lower($2)`,
        [org, username],
      );
      if (existing)
        throw invalidArgument(
          `User already has a role ${existing.role} for org ${existing.org}, please remove existing role first`,
        );
    }
    try {
      await authorize(deps.authz, ctx.caller, org, Resource.Users, 'manage');
    } catch (err) {
      if (org === '') throw invalidArgument('Organization not specified or no permissions');
      throw err;
    }
    const added = await deps.db.query(
      `INSERT INTO role_assignments (org, subject, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [org, target.name, role],
    );
    if (added.length === 0) {
      // Lost a race with another adduser for the same user and org.
      const now = await deps.db.one<{ role: string }>(
        `SELECT role FROM role_assignments WHERE org = $1 AND lower(subject) = lower($2)`,
        [org, target.name],
      );
      throw invalidArgument(
        `User already has a role ${now?.role ?? role} for org ${org}, please remove existing role first`,
      );
    }
    return result('Role added to user');
  };
}

/** The admin password crack-time minimum of the runtime config (configs row 1). */
async function adminMinCrackTimeSec(db: Db): Promise<number> {
  const row = await db.one<{ data: Record<string, unknown> }>(`SELECT data FROM configs WHERE id = 1`);
  return withDefaults(row?.data ?? {}).config.AdminPasswordMinCrackTimeSec;
}
