import { invalidArgument } from '@edge/errors';
import type { Db } from '../db/db';
import { result, type AuthHandler } from '../http/routes';
import { authorize, type Rbac } from '../rbac/authorize';
import { Resource } from '../rbac/matrix';
import { findOrg } from './org-queries';

/** What `auth/org/delete` needs; `orgInUse` is the regions' check (absent = no regions asked). */
export interface DeleteOrgDeps {
  readonly db: Db;
  readonly authz: Rbac;
  readonly orgInUse?: ((org: string) => Promise<string | undefined>) | undefined;
}

/**
 * `auth/org/delete`: marks the org DeleteInProgress (so nothing new is created in it)
 * while the regions are asked whether it still owns objects, then deletes it and every
 * role in it; any refusal clears the mark again.
 */
export function deleteOrgHandler(deps: DeleteOrgDeps): AuthHandler {
  return async (ctx) => {
    const name = ctx.fields.str('Name');
    ctx.audit.org = name;
    if (name === '') throw invalidArgument('Organization name not specified');
    await authorize(deps.authz, ctx.caller, name, Resource.Users, 'manage');
    const org = await findOrg(deps.db, name);
    if (!org || org.name !== name) throw invalidArgument(`org ${name} not found`);

    await markForDelete(deps.db, name);
    try {
      const inUse = await deps.orgInUse?.(name);
      if (inUse !== undefined) throw invalidArgument(`Organization ${name} in use or check failed: ${inUse}`);
      if (org.parent !== '')
        throw invalidArgument(`Organization is still part of Parent BillingOrganization ${org.parent}`);
      await deps.db.tx(async (q) => {
        const refs = await q.query(
          `SELECT 1 FROM org_cloudlet_pools WHERE org = $1 OR cloudlet_pool_org = $1 LIMIT 1`,
          [name],
        );
        if (refs.length > 0)
          throw invalidArgument(
            'Cannot delete organization because it is referenced by some cloudletpool invitation or response',
          );
        await q.query(`DELETE FROM organizations WHERE name = $1`, [name]);
        await q.query(`DELETE FROM role_assignments WHERE org = $1`, [name]);
      });
    } catch (err) {
      await deps.db
        .query(`UPDATE organizations SET delete_in_progress = false WHERE name = $1`, [name])
        .catch((undoErr: unknown) =>
          ctx.log.warn({ err: undoErr, org: name }, 'undo mark org for delete failed'),
        );
      throw err;
    }
    return result('Organization deleted');
  };
}

/** Sets DeleteInProgress, refusing a second concurrent delete. */
async function markForDelete(db: Db, name: string): Promise<void> {
  const rows = await db.query(
    `UPDATE organizations SET delete_in_progress = true WHERE name = $1 AND NOT delete_in_progress RETURNING 1`,
    [name],
  );
  if (rows.length === 0) {
    const still = await db.query(`SELECT 1 FROM organizations WHERE name = $1`, [name]);
    throw invalidArgument(still.length ? 'org already being deleted' : 'org not found');
  }
}
