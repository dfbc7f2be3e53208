import { Code, invalidArgument } from '@edge/errors';
import { HttpError } from '../http/errors';
import type { RequestCtx } from '../http/routes';
import { otpMail } from '../mail/templates';
import { userByEmail, userByName, type UserRow } from '../users/user-model';
import { badAuthDelay, type AccountsDeps } from './accounts-deps';
import { authCookie } from './cookie';
import { checkLoginLocked } from './lockout';
import { checkPasswordStrength, crackTimeSec, passwordMatches } from './passwords';
import { loginTotpValid, OTP_EMAIL_PERIOD_SEC, OTP_EMAIL_VALID_TEXT, totpCode } from './totp';
import { durationMs } from '../config-api/runtime-config';

const MISSING_OTP =
  'Missing OTP\nPlease use two factor authenticator app on your phone to get OTP. We have also sent OTP to your registered email address';

/** API-key login: the key's owner, or the original's errors after the penalty. */
async function apiKeyUser(
  deps: AccountsDeps,
  id: string,
  key: string,
): Promise<UserRow & { apiKeyId: string }> {
  if (!id) throw invalidArgument('apikeyid not specified');
  if (!key) throw invalidArgument('apikey not specified');
  const row = await deps.db.one<{
    id: string;
    username: string;
    api_key_hash: string;
    salt: string;
    iter: number;
  }>(`SELECT id, username, api_key_hash, salt, iter FROM user_api_keys WHERE lower(id) = lower($1)`, [id]);
  if (!row) {
    await badAuthDelay(deps);
    throw invalidArgument('Invalid ApiKey');
  }
  const user = await userByName(deps.db, row.username);
  if (!user) throw new HttpError(500, Code.INTERNAL, 'Internal error');
  if (!(await passwordMatches(key, { passhash: row.api_key_hash, salt: row.salt, iter: row.iter }))) {
    await badAuthDelay(deps);
    throw invalidArgument('Invalid ApiKey or ApiKeyId');
  }
  return { ...user, apiKeyId: row.id };
}

/** Password login by name or email, with the lockout and failed-login bookkeeping of the original. */
async function passwordUser(deps: AccountsDeps, username: string, password: string): Promise<UserRow> {
  if (!username) throw invalidArgument('Username not specified');
  if (!password) throw invalidArgument('Please specify password');
  const user = (await userByName(deps.db, username)) ?? (await userByEmail(deps.db, username));
  if (!user) {
    await badAuthDelay(deps);
    throw invalidArgument('Invalid username or password');
  }
  const cfg = await deps.configs.get();
  checkLoginLocked(user, cfg, deps.config.badAuthDelay, deps.now());
  const now = new Date(deps.now());
  if (!(await passwordMatches(password, user))) {
    await deps.db.query(
      `UPDATE users SET failed_logins = failed_logins + 1, last_failed_login = $2 WHERE name = $1`,
      [user.name, now],
    );
    await badAuthDelay(deps);
    throw invalidArgument('Invalid username or password');
  }
  await deps.db.query(`UPDATE users SET failed_logins = 0, last_login = $2 WHERE name = $1`, [
    user.name,
    now,
  ]);
  return { ...user, failed_logins: 0, last_login: now };
}

/**
 * `POST /api/v1/login`: `{username|email, password[, totp]}` or `{apikeyid, apikey}` →
 * `{"token": …[, "admin": true]}` and the `token` cookie.
 */
export function loginHandler(deps: AccountsDeps) {
  return async (ctx: RequestCtx): Promise<unknown> => {
    const f = ctx.fields;
    const apiKey = f.str('apikey');
    const byKey = apiKey !== '' || f.str('apikeyid') !== '';
    const password = byKey ? '' : f.str('password');
    const user = byKey
      ? await apiKeyUser(deps, f.str('apikeyid'), apiKey)
      : { ...(await passwordUser(deps, f.str('username'), password)), apiKeyId: '' };
    const apiKeyId = user.apiKeyId;
    ctx.audit['username'] = user.name;

    if (user.locked) throw invalidArgument('Account is locked, please contact MobiledgeX support');
    const cfg = await deps.configs.get();
    if (!cfg.SkipVerifyEmail && !user.email_verified) throw invalidArgument('Email not verified yet');

    const admin = await deps.authz.isAdmin(user.name);
    if (password && !apiKeyId && user.pass_crack_time_sec === 0) {
      const crack = crackTimeSec(password);
      try {
        checkPasswordStrength(crack, admin ? cfg.AdminPasswordMinCrackTimeSec : cfg.PasswordMinCrackTimeSec);
      } catch (err) {
        if (admin) {
          await badAuthDelay(deps);
          throw invalidArgument('Existing password for Admin too weak, please update first');
        }
        ctx.log.debug({ user: user.name, err }, 'user password strength check failure');
      }
      await deps.db.query(`UPDATE users SET pass_crack_time_sec = $2 WHERE name = $1`, [user.name, crack]);
    }

    if (password && !apiKeyId && user.enable_totp && user.totp_shared_key) {
      const otp = f.str('totp');
      if (!otp) {
        const code = totpCode(user.totp_shared_key, deps.now(), OTP_EMAIL_PERIOD_SEC);
        if (!cfg.SkipVerifyEmail)
          await deps.mailer
            .send(otpMail({ to: user.email, name: user.name, otp: code, validFor: OTP_EMAIL_VALID_TEXT }))
            .catch((err: unknown) => ctx.log.warn({ err }, 'failed to send otp email'));
        throw new HttpError(511, Code.UNAUTHENTICATED, MISSING_OTP);
      }
      if (!loginTotpValid(otp, user.totp_shared_key, deps.now()))
        throw invalidArgument('Invalid or expired OTP. Please login again to receive another OTP');
    }

    const valid = durationMs(apiKeyId ? cfg.ApiKeyLoginTokenValidDuration : cfg.UserLoginTokenValidDuration);
    const { token, exp } = deps.tokens.loginToken(user, apiKeyId, valid);
    ctx.res.setHeader('Set-Cookie', authCookie(token, exp, deps.config.domain));
    return admin ? { token, admin: true } : { token };
  };
}
