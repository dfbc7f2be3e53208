import { invalidArgument } from '@edge/errors';
import type { AccountsDeps } from '../auth/accounts-deps';
import { PASSWORD_RESET_VALID_SEC } from '../auth/tokens';
import { result, type McRoutes } from '../http/routes';
import { passwordResetMail } from '../mail/templates';
import { mcPublicAddr, sendVerifyEmail } from './mails';
import { requestOrigin } from './origin';
import { setPassword } from './set-password';
import { userByEmail } from './user-model';
import { validEmail } from './validate';

/** The public routes around mailed tokens: verifyemail, resendverify, passwordresetrequest, passwordreset. */
export function registerEmailRoutes(routes: McRoutes, deps: AccountsDeps): void {
  routes.public('verifyemail', async (ctx) => {
    const claims = await deps.tokens.verifyEmailToken(ctx.fields.str('token'), 'verifyemail');
    const user = await userByEmail(deps.db, claims.email);
    if (!user) return {}; // deleted in the meantime
    ctx.audit['username'] = user.name;
    await deps.db.query(`UPDATE users SET email_verified = true, updated_at = $2 WHERE name = $1`, [
      user.name,
      new Date(deps.now()),
    ]);
    return result('email verified, thank you');
  });

  routes.public('resendverify', async (ctx) => {
    const email = ctx.fields.str('email');
    if (!validEmail(email)) throw invalidArgument('Invalid email address');
    await sendVerifyEmail(deps, ctx, 'MobiledgeX user', email);
    return {};
  });

  routes.public('passwordresetrequest', async (ctx) => {
    const email = ctx.fields.str('email');
    if (!validEmail(email)) throw invalidArgument('Invalid email address');
    // The answer is the same whether or not the address has an account; only the mail differs.
    const user = await userByEmail(deps.db, email);
    const token = user
      ? deps.tokens.emailToken('passwordreset', user.name, user.email, PASSWORD_RESET_VALID_SEC)
      : undefined;
    const url =
      token && deps.config.consoleUrl ? `${deps.config.consoleUrl}/#/passwordreset?token=${token}` : '';
    await deps.mailer.send(
      passwordResetMail({
        to: email,
        ...(user && token ? { name: user.name, token } : {}),
        url,
        mcAddr: mcPublicAddr(deps),
        origin: requestOrigin(ctx),
      }),
    );
    return {};
  });

  routes.public('passwordreset', async (ctx) => {
    const claims = await deps.tokens.verifyEmailToken(ctx.fields.str('token'), 'passwordreset');
    ctx.audit['username'] = claims.username;
    return setPassword(deps, claims.username, ctx.fields.str('password'));
  });
}
