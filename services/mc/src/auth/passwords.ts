import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { invalidArgument } from '@edge/errors';
import { estimateGuesses } from './strength';

/** The original's PBKDF2 parameters (mc/ormutil/auth.go). */
export const PASSHASH_ITER = 10_000;
const KEY_BYTES = 32;
const SALT_BYTES = 8;
const pbkdf2Async = promisify(pbkdf2);

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 4096;
/** Offline brute force speed the crack time is estimated at. */
export const BRUTE_FORCE_GUESSES_PER_SECOND = 1e6;

/** A stored password (or API key): base64 PBKDF2-HMAC-SHA256 hash, base64 salt, iterations. */
export interface Passhash {
  readonly passhash: string;
  readonly salt: string;
  readonly iter: number;
}

/** Hashes `password` with a fresh random salt (off the event loop). */
export async function newPasshash(password: string): Promise<Passhash> {
  const salt = randomBytes(SALT_BYTES);
  return {
    passhash: (await pbkdf2Async(password, salt, PASSHASH_ITER, KEY_BYTES, 'sha256')).toString('base64'),
    salt: salt.toString('base64'),
    iter: PASSHASH_ITER,
  };
}

/** Whether `password` matches the stored hash. */
export async function passwordMatches(password: string, stored: Passhash): Promise<boolean> {
  if (!stored.passhash || !stored.salt || stored.iter <= 0) return false;
  const want = Buffer.from(stored.passhash, 'base64');
  if (want.length === 0) return false;
  const got = await pbkdf2Async(
    password,
    Buffer.from(stored.salt, 'base64'),
    stored.iter,
    want.length,
    'sha256',
  );
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Length rules of the original (`ValidPassword`), counted in code points. */
export function passwordLengthError(password: string): string | undefined {
  const runes = [...password].length;
  if (runes < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (runes >= PASSWORD_MAX_LENGTH) return `password must be less than ${PASSWORD_MAX_LENGTH} characters`;
  return undefined;
}

/** Throws the original's `Invalid password, <rule>` when the length is wrong. */
export function checkPasswordLength(password: string): void {
  const err = passwordLengthError(password);
  if (err) throw invalidArgument(`Invalid password, ${err}`);
}

/** Estimated seconds to crack `password` offline (zxcvbn-style guesses / 1e6 per second). */
export function crackTimeSec(password: string): number {
  return estimateGuesses(password) / BRUTE_FORCE_GUESSES_PER_SECOND;
}

/**
 * The original's display of a crack time (a modified zxcvbn `displayTime`): one decimal,
 * `1 + ceil(x)` of the unit, months of 31 days; its year branch divides by a century,
 * which is kept so the messages match.
 */
export function secDisplayTime(seconds: number): string {
  const minute = 60;
  const hour = minute * 60;
  const day = hour * 24;
  const month = day * 31;
  const year = month * 12;
  const century = year * 100;
  const fmt = (v: number, unit: string): string => `${(1 + Math.ceil(v)).toFixed(1)} ${unit}`;
  if (seconds < 1) return 'less than a second';
  if (seconds < minute) return fmt(seconds, 'seconds');
  if (seconds < hour) return fmt(seconds / minute, 'minutes');
  if (seconds < day) return fmt(seconds / hour, 'hours');
  if (seconds < month) return fmt(seconds / day, 'days');
  if (seconds < year) return fmt(seconds / month, 'months');
  if (seconds < century) return fmt(seconds / century, 'years');
  return 'centuries';
}

/** Throws the original's `Password too weak…` when `crackSec` is under `minCrackSec`. */
export function checkPasswordStrength(crackSec: number, minCrackSec: number): void {
  if (crackSec < minCrackSec)
    throw invalidArgument(
      `Password too weak, requires crack time ${secDisplayTime(minCrackSec)} but is ${secDisplayTime(crackSec)}. Please increase length or complexity`,
    );
}
