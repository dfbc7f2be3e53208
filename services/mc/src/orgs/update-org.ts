import { invalidArgument } from '@edge/errors';
import type { Db } from '../db/db';
import type { AuthHandler } from '../http/routes';
import { authorize, type Rbac } from '../rbac/authorize';
import { Resource } from '../rbac/matrix';
import { findOrg } from './org-queries';

/**
 * `auth/org/update` (org managers: Address, Phone, PublicImages) and
 * `auth/restricted/org/update` (admins: also EdgeboxOnly and Parent). Fields absent from
 * the body keep their value; the reply is empty, as the original's.
 */
export function updateOrgHandler(deps: { db: Db; authz: Rbac }, restricted: boolean): AuthHandler {
  return async (ctx) => {
    const f = ctx.fields;
    const name = f.str('Name');
    ctx.audit.org = name;
    if (name === '') throw invalidArgument('Organization name not specified');
    const org = await findOrg(deps.db, name);
    if (!org) throw invalidArgument('Organization not found');
    await authorize(deps.authz, ctx.caller, restricted ? '' : name, Resource.Users, 'manage');

    const str = (field: string, old: string): string => (f.has(field) ? f.str(field) : old);
    const bool = (field: string, old: boolean): boolean => (f.has(field) ? f.bool(field) : old);
    if (str('Type', org.type) !== org.type) throw invalidArgument('Cannot change Organization type');
    const createdAt = f.str('CreatedAt');
    if (createdAt !== '' && Date.parse(createdAt) !== org.createdAt.getTime())
      throw invalidArgument('Cannot update created at');
    const edgeboxOnly = bool('EdgeboxOnly', org.edgeboxOnly);
    const parent = str('Parent', org.parent);
    if (!restricted) {
      if (edgeboxOnly !== org.edgeboxOnly)
        throw invalidArgument('Cannot update edgeboxonly field for Organization');
      if (parent !== org.parent) throw invalidArgument('Cannot update parent');
    }
    await deps.db.query(
      `UPDATE organizations SET address = $2, phone = $3, public_images = $4, edgebox_only = $5, parent = $6,
         updated_at = now()
       WHERE name = $1`,
      [
        org.name,
        str('Address', org.address),
        str('Phone', org.phone),
        bool('PublicImages', org.publicImages),
        edgeboxOnly,
        parent,
      ],
    );
    return {};
  };
}
