import type { Queryable } from '../db/db';
import type { Action, Authorizer } from './authorizer';
import type { Org } from '../orgs/org-model';
import { findOrg } from '../orgs/org-queries';

/**
 * The Authorizer over `role_assignments` × `role_perms`, plus the org lookup that
 * `authorize`'s requiresOrg check needs. Nothing is cached: several MCs share the
 * database, so every decision is one SQL query. Subjects (user names, API key ids) match
 * case-insensitively, org names exactly (as the original's casbin strings did).
 */
export class SqlAuthorizer implements Authorizer {
  constructor(private readonly db: Queryable) {}

  async allowed(subject: string, org: string, resource: string, action: Action): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM role_assignments a JOIN role_perms p ON p.role = a.role
       WHERE lower(a.subject) = lower($1) AND (a.org = $2 OR a.org = '')
         AND p.resource = $3 AND p.action = $4
       LIMIT 1`,
      [subject, org, resource, action],
    );
    return rows.length > 0;
  }

  async orgsAllowed(subject: string, resource: string, action: Action): Promise<ReadonlySet<string> | 'all'> {
    const rows = await this.db.query<{ org: string }>(
      `SELECT DISTINCT a.org FROM role_assignments a JOIN role_perms p ON p.role = a.role
       WHERE lower(a.subject) = lower($1) AND p.resource = $2 AND p.action = $3`,
      [subject, resource, action],
    );
    const orgs = new Set(rows.map((r) => r.org));
    return orgs.has('') ? 'all' : orgs;
  }

  async isAdmin(subject: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM role_assignments WHERE lower(subject) = lower($1) AND org = '' LIMIT 1`,
      [subject],
    );
    return rows.length > 0;
  }

  /** The org whose name matches `name` case-insensitively, if any. */
  async lookupOrg(name: string): Promise<Org | undefined> {
    return findOrg(this.db, name);
  }
}
