import { invalidArgument } from '@edge/errors';
import type { AccountsDeps } from '../auth/accounts-deps';
import { forbidden } from '../http/errors';
import type { AuthRequestCtx } from '../http/routes';
import { userByEmail, userByName } from './user-model';

/** Fields an admin may set with `restricted/user/update` (body name → column, kind). */
const FIELDS: readonly [string, string, 'bool' | 'str' | 'int' | 'num' | 'time'][] = [
  ['emailverified', 'email_verified', 'bool'],
  ['familyname', 'family_name', 'str'],
  ['givenname', 'given_name', 'str'],
  ['picture', 'picture', 'str'],
  ['nickname', 'nickname', 'str'],
  ['locked', 'locked', 'bool'],
  ['passcracktimesec', 'pass_crack_time_sec', 'num'],
  ['enabletotp', 'enable_totp', 'bool'],
  ['metadata', 'metadata', 'str'],
  ['failedlogins', 'failed_logins', 'int'],
  ['lastlogin', 'last_login', 'time'],
  ['lastfailedlogin', 'last_failed_login', 'time'],
];

/**
 * `auth/restricted/user/update` (admins): the user is found by `Name`/`Email`, the other
 * given fields are applied; name, email and password fields cannot change here.
 */
export async function restrictedUserUpdate(deps: AccountsDeps, ctx: AuthRequestCtx): Promise<unknown> {
  if (!(await deps.authz.allowed(ctx.caller.subject, '', 'users', 'manage'))) throw forbidden();
  const f = ctx.fields;
  const name = f.str('name');
  const email = f.str('email');
  let user = name ? await userByName(deps.db, name) : email ? await userByEmail(deps.db, email) : undefined;
  if (user && name && email && user.email.toLowerCase() !== email.toLowerCase()) user = undefined;
  if (!user) throw invalidArgument('user not found');
  ctx.audit['username'] = user.name;
  const sets: string[] = [];
  const params: unknown[] = [user.name];
  for (const [field, col, kind] of FIELDS) {
    if (!f.has(field)) continue;
    let v: unknown;
    if (kind === 'bool') v = f.bool(field);
    else if (kind === 'str') v = f.str(field);
    else if (kind === 'num') v = f.num(field);
    else if (kind === 'int') v = Math.trunc(f.num(field));
    else {
      const s = f.str(field);
      const d = new Date(s);
      if (Number.isNaN(d.getTime())) throw invalidArgument(`Invalid JSON data: ${field} must be a time`);
      v = s.startsWith('0001-01-01') ? null : d;
    }
    params.push(v);
    sets.push(`${col} = $${params.length}`);
  }
  if (f.has('enabletotp') && !f.bool('enabletotp')) sets.push(`totp_shared_key = ''`);
  if (sets.length > 0) {
    params.push(new Date(deps.now()));
    sets.push(`updated_at = $${params.length}`);
    await deps.db.query(`UPDATE users SET ${sets.join(', ')} WHERE name = $1`, params);
  }
  return {};
}
