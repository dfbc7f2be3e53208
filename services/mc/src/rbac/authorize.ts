import { invalidArgument } from '@edge/errors';
import type { Caller } from '../auth/caller';
import { forbidden } from '../http/errors';
import { OrgTypeDeveloper, OrgTypeOperator, type Org } from '../orgs/org-model';
import type { Action, Authorizer } from './authorizer';
import { DEVELOPER_RESOURCES, OPERATOR_RESOURCES } from './matrix';

/** The Authorizer plus the org lookup the requiresOrg checks need (`SqlAuthorizer` is both). */
export interface Rbac extends Authorizer {
  /** The org whose name matches case-insensitively, if any. */
  lookupOrg(name: string): Promise<Org | undefined>;
}

/** An org a request refers to besides the one it acts in (the original's withReferenceOrg). */
export interface ReferenceOrg {
  readonly org: string;
  /** Word put before "org" in messages, e.g. `cloudlet` → "cloudlet org X not found". */
  readonly desc?: string;
  /** Required type ('' or absent = any). */
  readonly type?: string;
}

/** The optional checks after the permission itself. */
export interface AuthorizeOpts {
  /**
   * The org must exist (exact name), not be being deleted, and be of the resource's
   * type; `true` = the org acted in. Non-admins get 403 for orgs that do not exist.
   */
  readonly requiresOrg?: boolean | string;
  /** Refuse EdgeboxOnly orgs (creating a non-EDGEBOX cloudlet). */
  readonly noEdgeboxOnly?: boolean;
  /** Other orgs that must exist and not be being deleted; '' entries are skipped. */
  readonly referenceOrgs?: readonly ReferenceOrg[];
}

/**
 * Throws 403 `Forbidden` unless `caller` may do `action` on `resource` in `org` ('' =
 * admin-only), then runs the optional org checks, which throw the original's 400 texts.
 */
export async function authorize(
  authz: Rbac,
  caller: Pick<Caller, 'subject'>,
  org: string,
  resource: string,
  action: Action,
  opts: AuthorizeOpts = {},
): Promise<void> {
  if (!(await authz.allowed(caller.subject, org, resource, action))) throw forbidden();
  const requiresOrg = opts.requiresOrg === true ? org : opts.requiresOrg || '';
  if (requiresOrg !== '') {
    const found = await checkOrg(authz, requiresOrg, '', orgTypeOfResource(resource));
    if (found === undefined) {
      // Non-admins must not learn which org names exist.
      if (!(await authz.isAdmin(caller.subject))) throw forbidden();
      throw invalidArgument(`org ${requiresOrg} not found`);
    }
    if (typeof found === 'string') throw invalidArgument(found);
    if (found.edgeboxOnly && opts.noEdgeboxOnly)
      throw invalidArgument(`Only allowed to create EDGEBOX cloudlet on org ${requiresOrg}`);
  }
  for (const ref of opts.referenceOrgs ?? []) {
    if (ref.org === '') continue;
    const desc = ref.desc ? `${ref.desc} ` : '';
    const found = await checkOrg(authz, ref.org, desc, ref.type ?? '');
    if (found === undefined) throw invalidArgument(`${desc}org ${ref.org} not found`);
    if (typeof found === 'string') throw invalidArgument(found);
  }
}

/** The org type a resource's org must have ('' = any); developer wins for `alert`. */
export function orgTypeOfResource(resource: string): string {
  if ((DEVELOPER_RESOURCES as readonly string[]).includes(resource)) return OrgTypeDeveloper;
  if ((OPERATOR_RESOURCES as readonly string[]).includes(resource)) return OrgTypeOperator;
  return '';
}

/** The org, an error text when it is unusable, or undefined when no org has that exact name. */
async function checkOrg(
  authz: Rbac,
  name: string,
  desc: string,
  type: string,
): Promise<Org | string | undefined> {
  const org = await authz.lookupOrg(name);
  if (org === undefined || org.name !== name) return undefined;
  if (org.deleteInProgress) return `Operation not allowed for ${desc}org ${name} with delete in progress`;
  if (type !== '' && org.type !== type)
    return `Operation for ${desc}org ${name} only allowed for orgs of type ${type}`;
  return org;
}
