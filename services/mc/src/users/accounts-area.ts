import type { Logger } from '@edge/log';
import type { SecretStore } from '@edge/secrets';
import type { AccountsDeps } from '../auth/accounts-deps';
import { JwtAuthenticator } from '../auth/jwt-authenticator';
import { loginHandler } from '../auth/login';
import { registerSessionRoutes } from '../auth/session-routes';
import { TokenService } from '../auth/tokens';
import type { McConfig } from '../config';
import { ConfigStore } from '../config-api/config-store';
import { registerConfigRoutes } from '../config-api/routes';
import type { Db } from '../db/db';
import type { McRoutes } from '../http/routes';
import { createMailer } from '../mail/create-mailer';
import type { Mailer } from '../mail/mailer';
import type { Authorizer } from '../rbac/authorizer';
import { RateLimiter } from '../ratelimit/rate-limiter';
import { registerApiKeyRoutes } from './api-keys';
import { createUserHandler } from './create';
import { registerEmailRoutes } from './email-routes';
import { restrictedUserUpdate } from './restricted-update';
import { ensureSuperuser } from './superuser';
import { registerUserRoutes } from './user-routes';

/** What the accounts area needs (a subset of McDeps plus the Authorizer). */
export interface AccountsAreaDeps {
  readonly config: McConfig;
  readonly db: Db;
  readonly log: Logger;
  readonly secrets: SecretStore;
  readonly authz: Authorizer;
  readonly now?: () => number;
  /** Overrides the mailer chosen from `smtpAddr`. */
  readonly mailer?: Mailer;
}

/** The accounts area: its routes plus the authenticator, rate limit hook and Config store the MC wires in. */
export interface AccountsArea {
  readonly register: (routes: McRoutes) => void;
  readonly close: () => Promise<void>;
  readonly authenticator: JwtAuthenticator;
  readonly rateLimit: (path: string, ip: string, caller: { subject: string } | undefined) => void;
  readonly configs: ConfigStore;
  readonly tokens: TokenService;
}

/**
 * Builds the accounts area (login, sessions, users, API keys, Config, rate limits):
 * seeds the Config row and creates the superuser; call after migrating.
 */
export async function createAccountsArea(d: AccountsAreaDeps): Promise<AccountsArea> {
  const now = d.now ?? Date.now;
  const log = d.log.child({ area: 'accounts' });
  const configs = new ConfigStore(d.db, log, now);
  await configs.init();
  const tokens = await TokenService.open(d.secrets, now);
  const mailer = d.mailer ?? createMailer(d.config, log);
  const deps: AccountsDeps = {
    db: d.db,
    log,
    config: d.config,
    configs,
    tokens,
    authz: d.authz,
    mailer,
    now,
  };
  await ensureSuperuser({ db: d.db, configs, log, now }, d.config.superuser, d.config.superpass);

  const limiter = new RateLimiter(() => {
    const c = configs.current();
    return {
      disabled: c.DisableRateLimit,
      maxTrackedIps: c.RateLimitMaxTrackedIps,
      maxTrackedUsers: c.RateLimitMaxTrackedUsers,
    };
  }, now);

  return {
    register(routes) {
      routes.public('login', loginHandler(deps));
      routes.public('usercreate', createUserHandler(deps));
      registerEmailRoutes(routes, deps);
      registerSessionRoutes(routes, deps);
      registerUserRoutes(routes, deps);
      registerApiKeyRoutes(routes, deps);
      routes.auth('restricted/user/update', (ctx) => restrictedUserUpdate(deps, ctx));
      registerConfigRoutes(routes, {
        db: d.db,
        configs,
        authz: d.authz,
        badAuthDelayMs: d.config.badAuthDelay,
      });
    },
    close: () => {
      (mailer as { close?: () => void }).close?.();
      return Promise.resolve();
    },
    authenticator: new JwtAuthenticator(tokens),
    rateLimit: (path, ip, caller) => limiter.check(path, ip, caller?.subject),
    configs,
    tokens,
  };
}
