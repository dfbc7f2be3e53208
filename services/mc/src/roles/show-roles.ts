import type { Db } from '../db/db';
import type { AuthHandler } from '../http/routes';
import type { Rbac } from '../rbac/authorize';
import { isAdminRole, isApiKeyRole, Resource } from '../rbac/matrix';
import { assignmentJson, roleMatches, type AssignmentRow } from './role-model';

interface Deps {
  readonly db: Db;
  readonly authz: Rbac;
}

/** The original's isUserAdmin: holds config:view globally (AdminManager). */
const seesAdminRoles = (deps: Deps, subject: string): Promise<boolean> =>
  deps.authz.allowed(subject, '', Resource.Config, 'view');

const hidden = (role: string): boolean => isApiKeyRole(role) || isAdminRole(role);

/** `auth/role/show`: sorted role names; admin and API-key roles only for admins. */
export function showRoleNamesHandler(deps: Deps): AuthHandler {
  return async (ctx) => {
    const admin = await seesAdminRoles(deps, ctx.caller.subject);
    const rows = await deps.db.query<{ role: string }>(`SELECT DISTINCT role FROM role_perms ORDER BY role`);
    return rows.map((r) => r.role).filter((r) => admin || !hidden(r));
  };
}

/** `auth/role/perms/show`: `{role, resource, action}` rows, filtered by the body's fields. */
export function showRolePermsHandler(deps: Deps): AuthHandler {
  return async (ctx) => {
    const admin = await seesAdminRoles(deps, ctx.caller.subject);
    const rows = await deps.db.query<{ role: string; resource: string; action: string }>(
      `SELECT role, resource, action FROM role_perms ORDER BY role, resource, action`,
    );
    const f = ctx.fields;
    return rows.filter(
      (r) =>
        (admin || !hidden(r.role)) &&
        (['role', 'resource', 'action'] as const).every((k) => !f.has(k) || f.raw(k) === r[k]),
    );
  };
}

/** `auth/role/assignment/show`: the caller's own roles; admins (users:view on '') see everyone's. */
export function showRoleAssignmentHandler(deps: Deps): AuthHandler {
  return async (ctx) => {
    const all = await deps.authz.allowed(ctx.caller.subject, '', Resource.Users, 'view');
    const rows = all
      ? await deps.db.query<AssignmentRow>(
          `SELECT org, subject, role FROM role_assignments ORDER BY org, subject`,
        )
      : await deps.db.query<AssignmentRow>(
          `SELECT org, subject, role FROM role_assignments WHERE lower(subject) = lower($1) ORDER BY org`,
          [ctx.caller.subject],
        );
    return rows.map(assignmentJson).filter((r) => roleMatches(ctx.fields, r));
  };
}
