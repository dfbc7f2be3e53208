import type { Queryable } from '../db/db';

/**
 * Gives `user` the role `role` in `org` straight in the tables (creating the org, typed by the
 * role, when missing; org '' = a global admin role), for tests that need a caller with a role.
 */
export async function grantRole(db: Queryable, user: string, org: string, role: string): Promise<void> {
  if (org !== '')
    await db.query(`INSERT INTO organizations (name, type) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      org,
      role.startsWith('Operator') ? 'operator' : 'developer',
    ]);
  await db.query(
    `INSERT INTO role_assignments (org, subject, role) VALUES ($1, $2, $3)
     ON CONFLICT (org, subject) DO UPDATE SET role = EXCLUDED.role`,
    [org, user, role],
  );
}
