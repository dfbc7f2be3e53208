/** The two RBAC actions; `manage` implies `view`. */
export type Action = 'view' | 'manage';

/**
 * RBAC decisions, the original's casbin model over SQL: a subject (user name, or API key
 * id) holds a role in an org (`role_assignments`; org '' = global, i.e. admins), a role has
 * (resource, action) permissions (`role_perms`). Global roles apply in every org including
 * ''; admin-only resources are checked against org '' so org roles never match them.
 */
export interface Authorizer {
  /** May `subject` do `action` on `resource` in `org`? */
  allowed(subject: string, org: string, resource: string, action: Action): Promise<boolean>;
  /** Orgs in which `subject` may do `action` on `resource`; `'all'` for global roles holding it. */
  orgsAllowed(subject: string, resource: string, action: Action): Promise<ReadonlySet<string> | 'all'>;
  /** Holds a global (admin) role. */
  isAdmin(subject: string): Promise<boolean>;
}
