import type { Queryable } from '../db/db';

/** A `users` row. */
export interface UserRow {
  name: string;
  email: string;
  email_verified: boolean;
  passhash: string;
  salt: string;
  iter: number;
  family_name: string;
  given_name: string;
  picture: string;
  nickname: string;
  locked: boolean;
  pass_crack_time_sec: number;
  enable_totp: boolean;
  totp_shared_key: string;
  metadata: string;
  last_login: Date | null;
  last_failed_login: Date | null;
  failed_logins: number;
  created_at: Date;
  updated_at: Date;
}

/** Go's zero time, which the original sends for unset timestamps. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
const time = (d: Date | null): string => (d ? d.toISOString() : GO_ZERO_TIME);

/**
 * The user as the API answers it: the original's Go field names; the password hash, salt,
 * iterations and TOTP secret are never sent.
 */
export function userJson(u: UserRow): Record<string, unknown> {
  return {
    Name: u.name,
    Email: u.email,
    EmailVerified: u.email_verified,
    FamilyName: u.family_name,
    GivenName: u.given_name,
    Picture: u.picture,
    Nickname: u.nickname,
    CreatedAt: time(u.created_at),
    UpdatedAt: time(u.updated_at),
    Locked: u.locked,
    PassCrackTimeSec: u.pass_crack_time_sec,
    EnableTOTP: u.enable_totp,
    Metadata: u.metadata,
    LastLogin: time(u.last_login),
    LastFailedLogin: time(u.last_failed_login),
    FailedLogins: u.failed_logins,
  };
}

/** The user named `name` (case-insensitive). */
export async function userByName(q: Queryable, name: string): Promise<UserRow | undefined> {
  return (await q.query<UserRow>(`SELECT * FROM users WHERE lower(name) = lower($1)`, [name]))[0];
}

/** The user with address `email` (case-insensitive). */
export async function userByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  return (await q.query<UserRow>(`SELECT * FROM users WHERE lower(email) = lower($1)`, [email]))[0];
}
