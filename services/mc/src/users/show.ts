import type { AccountsDeps } from '../auth/accounts-deps';
import { forbidden } from '../http/errors';
import type { AuthRequestCtx } from '../http/routes';
import { userJson, type UserRow } from './user-model';

/** Fields of another user a non-admin does not see (the original blanks them). */
function redacted(u: Record<string, unknown>): Record<string, unknown> {
  return {
    ...u,
    Email: '',
    EmailVerified: false,
    Locked: false,
    PassCrackTimeSec: 0,
    EnableTOTP: false,
    Metadata: '',
    CreatedAt: '0001-01-01T00:00:00Z',
    UpdatedAt: '0001-01-01T00:00:00Z',
  };
}

/**
 * `auth/user/show` `{org?, role?, <User fields as filter>}`: admins see every user;
 * others the users holding a role in orgs where they have `users:view`.
 */
export async function showUsers(deps: AccountsDeps, ctx: AuthRequestCtx): Promise<unknown[]> {
  const f = ctx.fields;
  const filterOrg = f.str('org');
  const filterRole = f.str('role');
  const allowed = await deps.authz.orgsAllowed(ctx.caller.subject, 'users', 'view');
  const admin = allowed === 'all';
  if (!admin && allowed.size === 0) throw forbidden();
  if (filterOrg && !admin && !allowed.has(filterOrg)) throw forbidden();

  const where: string[] = [];
  const params: unknown[] = [];
  const add = (cond: (p: string) => string, v: unknown): void => {
    params.push(v);
    where.push(cond(`$${params.length}`));
  };
  if (f.str('name')) add((p) => `lower(u.name) = lower(${p})`, f.str('name'));
  if (f.str('email')) add((p) => `lower(u.email) = lower(${p})`, f.str('email'));
  for (const [field, col] of [
    ['familyname', 'family_name'],
    ['givenname', 'given_name'],
    ['nickname', 'nickname'],
  ] as const)
    if (f.str(field)) add((p) => `u.${col} = ${p}`, f.str(field));
  if (!admin || filterOrg || filterRole) {
    const sub: string[] = ['lower(a.subject) = lower(u.name)'];
    if (filterOrg) {
      params.push(filterOrg);
      sub.push(`a.org = $${params.length}`);
    } else if (!admin) {
      params.push([...(allowed as ReadonlySet<string>)]);
      sub.push(`a.org = ANY($${params.length})`);
    }
    if (filterRole) {
      params.push(filterRole);
      sub.push(`a.role = $${params.length}`);
    }
    where.push(`EXISTS (SELECT 1 FROM role_assignments a WHERE ${sub.join(' AND ')})`);
  }
  const rows = await deps.db.query<UserRow>(
    `SELECT u.* FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY u.name COLLATE "C"`,
    params,
  );
  return rows.map((u) => {
    const j = userJson(u);
    return admin || u.name.toLowerCase() === ctx.caller.username.toLowerCase() ? j : redacted(j);
  });
}
