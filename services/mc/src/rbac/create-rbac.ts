import type { Db } from '../db/db';
import type { Rbac } from './authorize';
import { ensureRolePerms } from './matrix';
import { SqlAuthorizer } from './sql-authorizer';

/** Refreshes the built-in role permissions and returns the MC's Authorizer (call after migrating). */
export async function createRbac(db: Db): Promise<Rbac> {
  await ensureRolePerms(db);
  return new SqlAuthorizer(db);
}
