import type { AccountsDeps } from '../auth/accounts-deps';
import { checkPasswordLength, checkPasswordStrength, crackTimeSec, newPasshash } from '../auth/passwords';
import { notFound } from '@edge/errors';
import { result } from '../http/routes';
import { userByName } from './user-model';

/** Sets `username`'s password after the length and strength checks (the admin bar for admins). */
export async function setPassword(
  deps: AccountsDeps,
  username: string,
  password: string,
): Promise<{ message: string }> {
  checkPasswordLength(password);
  const user = await userByName(deps.db, username);
  if (!user) throw notFound('user not found');
  const cfg = await deps.configs.get();
  const crack = crackTimeSec(password);
  const admin = await deps.authz.isAdmin(user.name);
  checkPasswordStrength(crack, admin ? cfg.AdminPasswordMinCrackTimeSec : cfg.PasswordMinCrackTimeSec);
  const h = await newPasshash(password);
  await deps.db.query(
    `UPDATE users SET passhash = $2, salt = $3, iter = $4, pass_crack_time_sec = $5, updated_at = $6 WHERE name = $1`,
    [user.name, h.passhash, h.salt, h.iter, crack, new Date(deps.now())],
  );
  return result('password updated');
}
