import type { McRoutes } from '../http/routes';
import { durationMs } from '../config-api/runtime-config';
import type { AccountsDeps } from './accounts-deps';
import { authCookie } from './cookie';

/** `auth/refresh` (new cookie, one more day, refused 30 days after login) and `auth/wstoken`. */
export function registerSessionRoutes(routes: McRoutes, deps: AccountsDeps): void {
  routes.auth('refresh', async (ctx) => {
    const { token, exp } = deps.tokens.refresh(ctx.caller);
    ctx.res.setHeader('Set-Cookie', authCookie(token, exp, deps.config.domain));
    return Promise.resolve({ token });
  });
  routes.auth('wstoken', async (ctx) => {
    const cfg = await deps.configs.get();
    return { token: deps.tokens.wsToken(ctx.caller, durationMs(cfg.WebsocketTokenValidDuration)) };
  });
}
