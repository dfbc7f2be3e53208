import type { AccountsDeps } from '../auth/accounts-deps';
import { VERIFY_EMAIL_VALID_SEC } from '../auth/tokens';
import type { RequestCtx } from '../http/routes';
import { verifyEmailMail } from '../mail/templates';
import { requestOrigin } from './origin';

/** The `mcctl --addr` the mails quote. */
export function mcPublicAddr(deps: AccountsDeps): string {
  return `http://${deps.config.addr}`;
}

/** Mails a verification token for `email` (nothing when SkipVerifyEmail); rejects when sending fails. */
export async function sendVerifyEmail(
  deps: AccountsDeps,
  ctx: RequestCtx,
  username: string,
  email: string,
): Promise<void> {
  const cfg = await deps.configs.get();
  if (cfg.SkipVerifyEmail) return;
  const token = deps.tokens.emailToken('verifyemail', username, email, VERIFY_EMAIL_VALID_SEC);
  const url = deps.config.consoleUrl ? `${deps.config.consoleUrl}/#/verify?token=${token}` : '';
  await deps.mailer.send(
    verifyEmailMail({
      to: email,
      name: username,
      token,
      url,
      mcAddr: mcPublicAddr(deps),
      origin: requestOrigin(ctx),
    }),
  );
}
