import { invalidArgument, notFound } from '@edge/errors';
import { badAuthDelay, type AccountsDeps } from '../auth/accounts-deps';
import { passwordMatches } from '../auth/passwords';
import { newTotpWithQr } from '../auth/totp-qr';
import { forbidden } from '../http/errors';
import { result, type McRoutes } from '../http/routes';
import type { UserResponse } from './create';
import { userConflict } from './create';
import { sendVerifyEmail } from './mails';
import { setPassword } from './set-password';
import { showUsers } from './show';
import { userByName, userJson } from './user-model';
import { validEmail } from './validate';

const MANAGER_ROLES = ['AdminManager', 'DeveloperManager', 'OperatorManager'];

/** `auth/user/current|show|delete|update|newpass`. */
export function registerUserRoutes(routes: McRoutes, deps: AccountsDeps): void {
  routes.auth('user/current', async (ctx) => {
    const user = await userByName(deps.db, ctx.caller.username);
    if (!user) throw notFound('user not found');
    return userJson(user);
  });

  routes.auth('user/show', (ctx) => showUsers(deps, ctx));

  routes.auth('user/delete', async (ctx) => {
    const name = ctx.fields.str('name');
    if (!name) throw invalidArgument('User Name not specified');
    ctx.audit['username'] = name;
    if (name.toLowerCase() !== ctx.caller.username.toLowerCase()) {
      if (!(await deps.authz.allowed(ctx.caller.subject, '', 'users', 'manage'))) throw forbidden();
    }
    if (deps.config.superuser && name.toLowerCase() === deps.config.superuser.toLowerCase())
      throw invalidArgument('Cannot delete superuser');
    await deps.db.tx(async (q) => {
      // never remove the last manager of an org, nor the last AdminManager
      const held = await q.query<{ org: string; others: string }>(
        `SELECT a.org, (SELECT count(*) FROM role_assignments b
                         WHERE b.org = a.org AND b.role = ANY($2) AND lower(b.subject) <> lower($1)) AS others
           FROM role_assignments a WHERE lower(a.subject) = lower($1) AND a.role = ANY($2)`,
        [name, MANAGER_ROLES],
      );
      for (const h of held) {
        if (Number(h.others) > 0) continue;
        throw invalidArgument(
          h.org === ''
            ? 'Error: Cannot delete the last remaining AdminManager'
            : `Error: Cannot delete the last remaining manager for the org ${h.org}`,
        );
      }
      const keys = await q.query<{ id: string }>(
        `SELECT id FROM user_api_keys WHERE lower(username) = lower($1)`,
        [name],
      );
      for (const k of keys) {
        await q.query(`DELETE FROM role_assignments WHERE subject = $1`, [k.id]);
        await q.query(`DELETE FROM role_perms WHERE role = $1`, [`${k.id}-role`]);
      }
      await q.query(`DELETE FROM role_assignments WHERE lower(subject) = lower($1)`, [name]);
      await q.query(`DELETE FROM users WHERE lower(name) = lower($1)`, [name]);
    });
    return result('user deleted');
  });

  routes.auth('user/update', async (ctx) => {
    const f = ctx.fields;
    const old = await userByName(deps.db, ctx.caller.username);
    if (!old) throw invalidArgument('User not found');
    const readOnly: [string, string][] = [
      ['name', 'Cannot change username'],
      ['emailverified', 'Cannot change emailverified'],
      ['passhash', 'Cannot change passhash'],
      ['salt', 'Cannot change salt'],
      ['iter', 'Cannot change iter'],
      ['locked', 'Cannot change locked'],
      ['passcracktimesec', 'Cannot change passcracktimesec'],
    ];
    const current: Record<string, unknown> = {
      name: old.name,
      emailverified: old.email_verified,
      passhash: old.passhash,
      salt: old.salt,
      iter: old.iter,
      locked: old.locked,
      passcracktimesec: old.pass_crack_time_sec,
    };
    for (const [field, msg] of readOnly)
      if (f.has(field) && f.raw(field) !== current[field]) throw invalidArgument(msg);

    const email = f.has('email') ? f.str('email') : old.email;
    const emailChanged = email !== old.email;
    const cfg = await deps.configs.get();
    if (emailChanged && !validEmail(email)) throw invalidArgument('Invalid email address');
    const enableTotp = f.has('enabletotp') ? f.bool('enabletotp') : old.enable_totp;
    const totpChanged = enableTotp !== old.enable_totp;
    const totp = totpChanged && enableTotp ? await newTotpWithQr(email) : undefined;
    const str = (k: string, v: string): string => (f.has(k) ? f.str(k) : v);
    try {
      await deps.db.query(
        `UPDATE users SET email = $2, email_verified = $3, family_name = $4, given_name = $5, picture = $6,
           nickname = $7, metadata = $8, enable_totp = $9, totp_shared_key = $10, updated_at = $11 WHERE name = $1`,
        [
          old.name,
          email,
          emailChanged ? false : old.email_verified,
          str('familyname', old.family_name),
          str('givenname', old.given_name),
          str('picture', old.picture),
          str('nickname', old.nickname),
          str('metadata', old.metadata),
          enableTotp,
          totpChanged ? (totp?.secret ?? '') : old.totp_shared_key,
          new Date(deps.now()),
        ],
      );
    } catch (err) {
      const c = userConflict(err, old.name);
      throw c && c.message === 'Email already in use'
        ? invalidArgument(`Email ${email} already in use`)
        : (c ?? err);
    }
    if (emailChanged && !cfg.SkipVerifyEmail) {
      try {
        await sendVerifyEmail(deps, ctx, old.name, email);
      } catch (err) {
        await deps.db.query(`UPDATE users SET email = $2, email_verified = $3 WHERE name = $1`, [
          old.name,
          old.email,
          old.email_verified,
        ]);
        throw invalidArgument(`Failed to send verification email to ${email}, ${String(err)}`);
      }
    }
    const out: UserResponse = {
      Message: totp
        ? 'User updated\nEnabled two factor authentication. Please use the following text code with the two factor authentication app on your phone to set it up'
        : 'user updated',
      TOTPSharedKey: totp?.secret ?? '',
      TOTPQRImage: totp ? totp.qrPng.toString('base64') : null,
    };
    return out;
  });

  routes.auth('user/newpass', async (ctx) => {
    const current = ctx.fields.str('currentpassword');
    const password = ctx.fields.str('password');
    if (!current) throw invalidArgument('Please specify current password');
    if (!password) throw invalidArgument('Please specify new password');
    const user = await userByName(deps.db, ctx.caller.username);
    if (!user) {
      await badAuthDelay(deps);
      throw invalidArgument('Invalid user');
    }
    if (!(await passwordMatches(current, user))) {
      await badAuthDelay(deps);
      throw invalidArgument('Invalid current password');
    }
    return setPassword(deps, user.name, password);
  });
}
