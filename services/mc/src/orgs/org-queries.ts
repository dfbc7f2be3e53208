import type { Queryable } from '../db/db';
import { orgRowToOrg, type Org, type OrgRow } from './org-model';

/** The org whose name matches case-insensitively, if any. */
export async function findOrg(db: Queryable, name: string): Promise<Org | undefined> {
  const rows = await db.query<OrgRow>(`SELECT * FROM organizations WHERE lower(name) = lower($1)`, [name]);
  return rows[0] && orgRowToOrg(rows[0]);
}

/** Whether a user has this name (case-insensitively): orgs and users share one namespace. */
export async function userNameTaken(db: Queryable, name: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM users WHERE lower(name) = lower($1)`, [name]);
  return rows.length > 0;
}
