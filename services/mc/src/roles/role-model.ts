import type { Fields } from '../http/fields';

/** A role assignment as the original answers it (`ormapi.Role`). */
export interface RoleJson {
  org: string;
  username: string;
  role: string;
}

/** A `role_assignments` row. */
export interface AssignmentRow {
  org: string;
  subject: string;
  role: string;
}

export const assignmentJson = (r: AssignmentRow): RoleJson => ({
  org: r.org,
  username: r.subject,
  role: r.role,
});

/** The request body `{org, username, role}` (read case-insensitively). */
export function readRole(f: Fields): RoleJson {
  return { org: f.str('org'), username: f.str('username'), role: f.str('role') };
}

/**
 * The original's show filter on roles: each of org, username, role given in the body
 * must match exactly (a non-string value matches nothing).
 */
export function roleMatches(f: Fields, r: RoleJson): boolean {
  for (const key of ['org', 'username', 'role'] as const) {
    if (!f.has(key)) continue;
    const v = f.raw(key);
    if (typeof v !== 'string' || v !== r[key]) return false;
  }
  return true;
}
