import { invalidArgument } from '@edge/errors';
import type { RuntimeConfig } from '../config-api/runtime-config';
import { formatGoDuration } from './go-duration';

/**
 * Throws the original's `Login temporarily disabled…` while a user's failed logins lock
 * it: from threshold 1 (3) for time 1 (60 s), from threshold 2 (10) for time 2 (300 s),
 * below that for the bad-auth delay.
 */
export function checkLoginLocked(
  user: { failed_logins: number; last_failed_login: Date | null },
  cfg: RuntimeConfig,
  badAuthDelayMs: number,
  nowMs: number,
): void {
  if (user.failed_logins === 0) return;
  let lockMs = badAuthDelayMs;
  if (user.failed_logins >= cfg.FailedLoginLockoutThreshold2) lockMs = cfg.FailedLoginLockoutTimeSec2 * 1000;
  else if (user.failed_logins >= cfg.FailedLoginLockoutThreshold1)
    lockMs = cfg.FailedLoginLockoutTimeSec1 * 1000;
  const elapsed = nowMs - (user.last_failed_login?.getTime() ?? 0);
  if (elapsed < lockMs) {
    const remaining = Math.round((lockMs - elapsed) / 1000) * 1000;
    throw invalidArgument(
      `Login temporarily disabled due to ${user.failed_logins} failed login attempts, please try again in ${formatGoDuration(remaining)}`,
    );
  }
}
