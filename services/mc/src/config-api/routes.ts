import { hostname } from 'node:os';
import { invalidArgument } from '@edge/errors';
import type { Db } from '../db/db';
import { forbidden } from '../http/errors';
import type { AuthRequestCtx, McRoutes } from '../http/routes';
import type { Action, Authorizer } from '../rbac/authorizer';
import type { ConfigStore } from './config-store';
import { formatGoDuration } from '../auth/go-duration';
import {
  applyConfigFields,
  CONFIG_FIELDS,
  DEFAULT_CONFIG,
  durationMs,
  type RuntimeConfig,
} from './runtime-config';

/** What the config routes need. */
export interface ConfigRoutesDeps {
  readonly db: Db;
  readonly configs: ConfigStore;
  readonly authz: Authorizer;
  /** The original's bad-auth delay, the floor of lockout time 1. */
  readonly badAuthDelayMs: number;
}

/** The original's validation of an updated Config (mc/orm/config.go UpdateConfig). */
export function validateConfig(c: RuntimeConfig, badAuthDelayMs: number): void {
  if (c.AdminPasswordMinCrackTimeSec < c.PasswordMinCrackTimeSec)
    throw invalidArgument('admin password min crack time must be greater than password min crack time');
  if (c.FailedLoginLockoutThreshold1 <= 0)
    throw invalidArgument('Failed login lockout threshold 1 cannot be less than or equal to 0');
  if (c.FailedLoginLockoutThreshold2 <= 0)
    throw invalidArgument('Failed login lockout threshold 2 cannot be less than or equal to 0');
  if (c.FailedLoginLockoutThreshold2 <= c.FailedLoginLockoutThreshold1)
    throw invalidArgument(
      `Failed login lockout threshold 2 of ${c.FailedLoginLockoutThreshold2} must be greater than threshold 1 of ${c.FailedLoginLockoutThreshold1}`,
    );
  const t1 = c.FailedLoginLockoutTimeSec1 * 1000;
  const t2 = c.FailedLoginLockoutTimeSec2 * 1000;
  if (t1 < 0)
    throw invalidArgument(`Failed login lockout time sec 1 of ${formatGoDuration(t1)} cannot be negative`);
  if (t1 < badAuthDelayMs)
    throw invalidArgument(
      `Failed login lockout time sec 1 of ${formatGoDuration(t1)} must be greater than or equal to default lockout time of ${formatGoDuration(badAuthDelayMs)}`,
    );
  if (t2 < 0)
    throw invalidArgument(`Failed login lockout time sec 2 of ${formatGoDuration(t2)} cannot be negative`);
  if (t2 < t1)
    throw invalidArgument(
      `Failed login lockout time sec 2 of ${formatGoDuration(t2)} must be greater than or equal to lockout time 1 of ${formatGoDuration(t1)}`,
    );
  if (durationMs(c.UserLoginTokenValidDuration) < 3 * 60_000)
    throw invalidArgument('User login token valid duration cannot be less than 3 minutes');
}

/** The Config with every setting zeroed except `keep` (how the original answers publicconfig). */
function zeroedExcept(c: RuntimeConfig, keep: readonly (keyof RuntimeConfig)[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ID: 0 };
  for (const name of CONFIG_FIELDS) {
    const v = c[name];
    out[name] = keep.includes(name)
      ? v
      : typeof v === 'boolean'
        ? false
        : typeof v === 'number'
          ? 0
          : name.endsWith('Duration')
            ? '0s'
            : '';
  }
  return out;
}

/** `auth/config/update|reset|show|version` (admins) and the public `publicconfig`. */
export function registerConfigRoutes(routes: McRoutes, deps: ConfigRoutesDeps): void {
  const admin = async (ctx: AuthRequestCtx, action: Action): Promise<void> => {
    if (!(await deps.authz.allowed(ctx.caller.subject, '', 'config', action))) throw forbidden();
  };
  const resetCrackTimes = (): Promise<unknown> =>
    deps.db.query(`UPDATE users SET pass_crack_time_sec = 0 WHERE pass_crack_time_sec > 0`);

  routes.auth('config/update', async (ctx) => {
    await admin(ctx, 'manage');
    const old = await deps.configs.refresh();
    const next = applyConfigFields(old, ctx.fields);
    validateConfig(next, deps.badAuthDelayMs);
    await deps.configs.save(next);
    if (
      next.AdminPasswordMinCrackTimeSec !== old.AdminPasswordMinCrackTimeSec ||
      next.PasswordMinCrackTimeSec !== old.PasswordMinCrackTimeSec
    )
      await resetCrackTimes();
    return {};
  });

  routes.auth('config/reset', async (ctx) => {
    await admin(ctx, 'manage');
    await deps.configs.save({ ...DEFAULT_CONFIG });
    await resetCrackTimes();
    return {};
  });

  routes.auth('config/show', async (ctx) => {
    await admin(ctx, 'manage');
    return { ID: 0, ...(await deps.configs.refresh()) };
  });

  routes.auth('config/version', async (ctx) => {
    await admin(ctx, 'view');
    const head = process.env['EDGE_BUILD_HEAD'];
    return { ...(head ? { buildhead: head } : {}), hostname: hostname() };
  });

  routes.public('publicconfig', async () =>
    zeroedExcept(await deps.configs.get(), ['PasswordMinCrackTimeSec']),
  );
}
