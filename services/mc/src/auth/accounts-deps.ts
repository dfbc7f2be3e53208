import type { Logger } from '@edge/log';
import type { McConfig } from '../config';
import type { ConfigStore } from '../config-api/config-store';
import type { Db } from '../db/db';
import type { Mailer } from '../mail/mailer';
import type { Authorizer } from '../rbac/authorizer';
import type { TokenService } from './tokens';

/** What the accounts handlers (login, users, API keys) share. */
export interface AccountsDeps {
  readonly db: Db;
  readonly log: Logger;
  readonly config: McConfig;
  readonly configs: ConfigStore;
  readonly tokens: TokenService;
  readonly authz: Authorizer;
  readonly mailer: Mailer;
  /** Clock in ms (tests move it). */
  readonly now: () => number;
}

/** The original's penalty after a failed authentication (config.badAuthDelay, 3 s). */
export function badAuthDelay(deps: AccountsDeps): Promise<void> {
  const ms = deps.config.badAuthDelay;
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

/** Whether `subject` holds a global (admin) role. */
export function isAdmin(deps: AccountsDeps, subject: string): Promise<boolean> {
  return deps.authz.isAdmin(subject);
}
