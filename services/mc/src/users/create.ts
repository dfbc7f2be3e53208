import { alreadyExists, invalidArgument } from '@edge/errors';
import type { AccountsDeps } from '../auth/accounts-deps';
import { checkPasswordLength, checkPasswordStrength, crackTimeSec, newPasshash } from '../auth/passwords';
import { newTotpWithQr } from '../auth/totp-qr';
import type { RequestCtx } from '../http/routes';
import { notifyMail } from '../mail/templates';
import { sendVerifyEmail } from './mails';
import { checkValidName, validEmail } from './validate';

/** UserResponse of the original: `{Message, TOTPSharedKey, TOTPQRImage}` (the PNG as base64). */
export interface UserResponse {
  Message: string;
  TOTPSharedKey: string;
  TOTPQRImage: string | null;
}

/** Maps unique-index violations on users to the original's messages. */
export function userConflict(err: unknown, name: string): Error | undefined {
  const e = err as { code?: string; constraint?: string };
  if (e.code !== '23505') return undefined;
  if (e.constraint === 'users_email_ci') return alreadyExists('Email already in use');
  return alreadyExists(`Username with name ${name} (case-insensitive) already exists`);
}

/**
 * `POST /api/v1/usercreate`: the User fields (password in `Passhash`, as the original's
 * clients send it) plus `verify: {email}`. New users are unverified (locked when the
 * Config says so) and get a verification mail.
 */
export function createUserHandler(deps: AccountsDeps) {
  return async (ctx: RequestCtx): Promise<UserResponse> => {
    const f = ctx.fields;
    const name = f.str('name');
    const email = f.str('email');
    const password = f.has('passhash') ? f.str('passhash') : f.str('password');
    if (!name) throw invalidArgument('Name not specified');
    checkValidName(name);
    if (!validEmail(email)) throw invalidArgument('Invalid email address');
    checkPasswordLength(password);
    const orgClash = await deps.db.one(`SELECT 1 FROM organizations WHERE lower(name) = lower($1)`, [name]);
    if (orgClash) throw invalidArgument('user name cannot be same as org name');

    const cfg = await deps.configs.get();
    const crack = crackTimeSec(password);
    checkPasswordStrength(crack, cfg.PasswordMinCrackTimeSec); // new users are never admins
    ctx.audit['username'] = name;

    const totp = f.bool('enabletotp') ? await newTotpWithQr(email) : undefined;
    const hash = await newPasshash(password);
    try {
      await deps.db.query(
        `INSERT INTO users (name, email, email_verified, passhash, salt, iter, family_name, given_name, picture,
           nickname, locked, pass_crack_time_sec, enable_totp, totp_shared_key, metadata, created_at, updated_at)
         VALUES ($1, $2, false, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)`,
        [
          name,
          email,
          hash.passhash,
          hash.salt,
          hash.iter,
          f.str('familyname'),
          f.str('givenname'),
          f.str('picture'),
          f.str('nickname'),
          cfg.LockNewAccounts,
          crack,
          totp !== undefined,
          totp?.secret ?? '',
          f.str('metadata'),
          new Date(deps.now()),
        ],
      );
    } catch (err) {
      throw userConflict(err, name) ?? err;
    }
    try {
      await sendVerifyEmail(deps, ctx, name, email);
    } catch (err) {
      await deps.db.query(`DELETE FROM users WHERE name = $1`, [name]);
      throw err;
    }
    if (cfg.LockNewAccounts && !cfg.SkipVerifyEmail) {
      const message = `Locked account created for user ${name}, email ${email}`;
      await deps.mailer
        .send(notifyMail({ to: cfg.NotifyEmailAddress, subject: 'Locked account created', message }))
        .catch((err: unknown) => ctx.log.warn({ err }, 'failed to send notify of new locked account'));
    }
    return {
      Message: totp
        ? 'User created with two factor authentication enabled. Please use the following text code with the two factor authentication app on your phone to set it up'
        : 'user created',
      TOTPSharedKey: totp?.secret ?? '',
      TOTPQRImage: totp ? totp.qrPng.toString('base64') : null,
    };
  };
}
