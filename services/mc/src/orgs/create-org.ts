import { invalidArgument } from '@edge/errors';
import type { Db } from '../db/db';
import { result, type AuthHandler } from '../http/routes';
import type { Rbac } from '../rbac/authorize';
import { Resource, Role } from '../rbac/matrix';
import { ORG_EDGEBOX, ORG_MOBILEDGEX, OrgTypeDeveloper, OrgTypeOperator } from './org-model';
import { userNameTaken } from './org-queries';
import { checkValidName } from '../users/validate';

/** Postgres unique_violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * `auth/org/create`: any user may create an org and becomes its manager; operator orgs
 * start EdgeboxOnly; the reserved names need an admin.
 */
export function createOrgHandler(deps: { db: Db; authz: Rbac }): AuthHandler {
  return async (ctx) => {
    const f = ctx.fields;
    const name = f.str('Name');
    ctx.audit.org = name;
    if (name === '') throw invalidArgument('Name not specified');
    checkValidName(name);
    const type = f.str('Type');
    let role: string;
    if (type === OrgTypeDeveloper) role = Role.DeveloperManager;
    else if (type === OrgTypeOperator) role = Role.OperatorManager;
    else throw invalidArgument(`Organization type must be ${OrgTypeDeveloper}, or ${OrgTypeOperator}`);
    const lower = name.toLowerCase();
    if (lower === ORG_MOBILEDGEX.toLowerCase() || lower === ORG_EDGEBOX.toLowerCase()) {
      if (!(await deps.authz.allowed(ctx.caller.subject, '', Resource.Users, 'manage')))
        throw invalidArgument(`Not authorized to create reserved org ${name}`);
    }
    await deps.db.tx(async (q) => {
      if (await userNameTaken(q, name))
        throw invalidArgument('org name cannot be same as existing user name');
      try {
        await q.query(
          `INSERT INTO organizations (name, type, address, phone, public_images, parent, edgebox_only)
           VALUES ($1, $2, $3, $4, $5, '', $6)`,
          [name, type, f.str('Address'), f.str('Phone'), f.bool('PublicImages'), type === OrgTypeOperator],
        );
      } catch (err) {
        if ((err as { code?: string }).code === UNIQUE_VIOLATION)
          throw invalidArgument(`Organization with name ${name} (case-insensitive) already exists`);
        throw err;
      }
      // The creator manages it (an API-key caller's key, as the original's claims name it).
      await q.query(`INSERT INTO role_assignments (org, subject, role) VALUES ($1, $2, $3)`, [
        name,
        ctx.caller.subject,
        role,
      ]);
    });
    return result('Organization created');
  };
}
