import { invalidArgument } from '@edge/errors';
import { formatGoDuration, parseGoDuration } from '../auth/go-duration';
import type { Fields } from '../http/fields';

/**
 * The MC's runtime settings (the original's `ormapi.Config` singleton), keyed by its Go
 * field names as stored in `configs.data` and answered by `config/show`. Durations are
 * Go duration strings (`24h0m0s`), as the original's JSON.
 */
export interface RuntimeConfig {
  LockNewAccounts: boolean;
  NotifyEmailAddress: string;
  SkipVerifyEmail: boolean;
  PasswordMinCrackTimeSec: number;
  AdminPasswordMinCrackTimeSec: number;
  MaxMetricsDataPoints: number;
  UserApiKeyCreateLimit: number;
  BillingEnable: boolean;
  DisableRateLimit: boolean;
  RateLimitMaxTrackedIps: number;
  RateLimitMaxTrackedUsers: number;
  FailedLoginLockoutThreshold1: number;
  FailedLoginLockoutTimeSec1: number;
  FailedLoginLockoutThreshold2: number;
  FailedLoginLockoutTimeSec2: number;
  UserLoginTokenValidDuration: string;
  ApiKeyLoginTokenValidDuration: string;
  WebsocketTokenValidDuration: string;
}

/** The original's defaults (mc/orm/config.go). */
export const DEFAULT_CONFIG: Readonly<RuntimeConfig> = Object.freeze({
  LockNewAccounts: false,
  NotifyEmailAddress: 'support@mobiledgex.com',
  SkipVerifyEmail: false,
  PasswordMinCrackTimeSec: 30 * 86400,
  AdminPasswordMinCrackTimeSec: 2 * 365 * 86400,
  MaxMetricsDataPoints: 10000,
  UserApiKeyCreateLimit: 10,
  BillingEnable: false,
  DisableRateLimit: false,
  RateLimitMaxTrackedIps: 10000,
  RateLimitMaxTrackedUsers: 10000,
  FailedLoginLockoutThreshold1: 3,
  FailedLoginLockoutTimeSec1: 60,
  FailedLoginLockoutThreshold2: 10,
  FailedLoginLockoutTimeSec2: 300,
  UserLoginTokenValidDuration: '24h0m0s',
  ApiKeyLoginTokenValidDuration: '4h0m0s',
  WebsocketTokenValidDuration: '2m0s',
});

type Kind = 'bool' | 'string' | 'float' | 'int' | 'duration';
const KINDS: Readonly<Record<keyof RuntimeConfig, Kind>> = {
  LockNewAccounts: 'bool',
  NotifyEmailAddress: 'string',
  SkipVerifyEmail: 'bool',
  PasswordMinCrackTimeSec: 'float',
  AdminPasswordMinCrackTimeSec: 'float',
  MaxMetricsDataPoints: 'int',
  UserApiKeyCreateLimit: 'int',
  BillingEnable: 'bool',
  DisableRateLimit: 'bool',
  RateLimitMaxTrackedIps: 'int',
  RateLimitMaxTrackedUsers: 'int',
  FailedLoginLockoutThreshold1: 'int',
  FailedLoginLockoutTimeSec1: 'int',
  FailedLoginLockoutThreshold2: 'int',
  FailedLoginLockoutTimeSec2: 'int',
  UserLoginTokenValidDuration: 'duration',
  ApiKeyLoginTokenValidDuration: 'duration',
  WebsocketTokenValidDuration: 'duration',
};
export const CONFIG_FIELDS = Object.keys(KINDS) as (keyof RuntimeConfig)[];

/** Milliseconds of one of the duration settings. */
export function durationMs(value: string): number {
  return parseGoDuration(value) ?? 0;
}

/** A duration given as a Go string or (as Go's JSON of the int64) nanoseconds, normalised to the string. */
function readDuration(name: string, v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return formatGoDuration(v / 1e6);
  if (typeof v === 'string') {
    const ms = parseGoDuration(v);
    if (ms !== undefined) return formatGoDuration(ms);
  }
  throw invalidArgument(`Invalid JSON data: ${name}: invalid duration ${JSON.stringify(v)}`);
}

/**
 * `base` with the settings present in `fields` applied (case-insensitive names, as the
 * original binds the body over the stored config); wrong types are a 400.
 */
export function applyConfigFields(base: RuntimeConfig, fields: Fields): RuntimeConfig {
  const out: Record<string, unknown> = { ...base };
  for (const name of CONFIG_FIELDS) {
    if (!fields.has(name)) continue;
    switch (KINDS[name]) {
      case 'bool':
        out[name] = fields.bool(name);
        break;
      case 'string':
        out[name] = fields.str(name);
        break;
      case 'float':
        out[name] = fields.num(name);
        break;
      case 'int': {
        const n = fields.num(name);
        if (!Number.isInteger(n)) throw invalidArgument(`Invalid JSON data: ${name} must be an integer`);
        out[name] = n;
        break;
      }
      case 'duration':
        out[name] = readDuration(name, fields.raw(name));
        break;
    }
  }
  return out as unknown as RuntimeConfig;
}

/** A stored document completed with defaults for missing or zero settings (the original's InitConfig). */
export function withDefaults(stored: Partial<Record<string, unknown>>): {
  config: RuntimeConfig;
  changed: boolean;
} {
  const out: Record<string, unknown> = {};
  const isZero = (v: unknown): boolean => v === undefined || v === null || v === 0 || v === '' || v === '0s';
  const crackTimes = new Set<string>(['PasswordMinCrackTimeSec', 'AdminPasswordMinCrackTimeSec']);
  const noCrackTimes =
    isZero(stored['PasswordMinCrackTimeSec']) && isZero(stored['AdminPasswordMinCrackTimeSec']);
  let changed = false;
  for (const name of CONFIG_FIELDS) {
    const v = stored[name];
    if (KINDS[name] === 'bool') out[name] = v === true;
    else if (crackTimes.has(name) && !noCrackTimes) out[name] = typeof v === 'number' ? v : 0;
    else out[name] = isZero(v) ? DEFAULT_CONFIG[name] : v;
    changed ||= out[name] !== v;
  }
  return { config: out as unknown as RuntimeConfig, changed };
}
