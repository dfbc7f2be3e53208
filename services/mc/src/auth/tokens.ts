import { invalidArgument, unauthenticated } from '@edge/errors';
import type { SecretStore } from '@edge/secrets';
// Shared with the DME until the lead moves them to a common package.
import { KeyRing } from '../../../dme/src/auth/key-ring';
import { decodeClaims, signHs512, verifyHs512 } from '../../../dme/src/auth/jwt';
import { HttpError } from '../http/errors';
import { Code } from '@edge/errors';
import type { AuthType, Caller } from './caller';
import { formatGoDuration } from './go-duration';

/** Where the MC's signing keys live in the secret store (the original: Vault `jwtkeys/data/mcorm`). */
export const MC_KEYS_PATH = 'mc/jwtkeys';
/** A refreshed token lives one more day; refresh is refused 30 days after the first login. */
export const REFRESH_VALID_SEC = 86_400;
export const REFRESH_LIMIT_SEC = 30 * 86_400;
/** Email verification tokens live a day, password reset tokens an hour. */
export const VERIFY_EMAIL_VALID_SEC = 86_400;
export const PASSWORD_RESET_VALID_SEC = 3_600;
/** A missing kid is looked up again in the store at most this often (a rotation done by another MC). */
const RELOAD_MIN_INTERVAL_MS = 10_000;

/** The original's login token claims (`UserClaims`). For API-key logins `username` is the key id. */
export interface UserClaims {
  iat: number;
  exp: number;
  username: string;
  email: string;
  kid: number;
  firstiat?: number;
  authtype: AuthType;
  apikeyusername: string;
}

/** What an emailed token is for; it is accepted only for that purpose (and never as a login). */
export type EmailPurpose = 'verifyemail' | 'passwordreset';

/** Claims of an emailed token (the original's `EmailClaims` plus `purpose`). */
export interface EmailClaims {
  iat: number;
  exp: number;
  username: string;
  email: string;
  kid: number;
  purpose: EmailPurpose;
}

/** The caller a login token stands for. */
export function callerFromClaims(c: UserClaims): Caller {
  const apiKey = c.authtype === 'apikeyauth';
  return {
    username: apiKey ? c.apikeyusername : c.username,
    email: c.email,
    authType: c.authtype,
    apiKeyId: apiKey ? c.username : undefined,
    subject: c.username,
    iat: c.iat,
    firstIat: c.firstiat ?? 0,
  };
}

/** The claims that carry `caller` (refresh and websocket tokens re-sign them). */
function claimsOfCaller(caller: Caller, iat: number, exp: number, kid: number): UserClaims {
  return {
    iat,
    exp,
    username: caller.subject,
    email: caller.email,
    kid,
    ...(caller.firstIat ? { firstiat: caller.firstIat } : {}),
    authtype: caller.authType,
    apikeyusername: caller.authType === 'apikeyauth' ? caller.username : '',
  };
}

const invalidJwt = (): Error => unauthenticated('invalid or expired jwt');

/**
 * Signs and checks the MC's HS512 tokens with the key ring in the secret store: login
 * tokens (24 h, API keys 4 h), refreshed and websocket tokens, and emailed tokens.
 */
export class TokenService {
  private lastReload = -Infinity;

  private constructor(
    private readonly ring: KeyRing,
    private readonly now: () => number,
  ) {}

  static async open(secrets: SecretStore, now: () => number = Date.now): Promise<TokenService> {
    return new TokenService(await KeyRing.open(secrets, MC_KEYS_PATH), now);
  }

  /** Seconds since the epoch. */
  nowSec(): number {
    return Math.floor(this.now() / 1000);
  }

  /** A login token for `user` (`apiKeyId` set = API-key login, RBAC subject the key), valid `validMs`. */
  loginToken(
    user: { name: string; email: string },
    apiKeyId: string,
    validMs: number,
  ): { token: string; exp: number } {
    const iat = this.nowSec();
    const exp = iat + Math.floor(validMs / 1000);
    const claims: UserClaims = {
      iat,
      exp,
      username: apiKeyId || user.name,
      email: user.email,
      kid: this.ring.kid,
      firstiat: iat,
      authtype: apiKeyId ? 'apikeyauth' : 'passwordauth',
      apikeyusername: apiKeyId ? user.name : '',
    };
    return { token: this.sign(claims), exp };
  }

  /** A new token for `caller` valid one more day; refused 30 days after its first login. */
  refresh(caller: Caller): { token: string; exp: number } {
    if (!caller.firstIat) throw invalidArgument('Failed to refresh auth cookie');
    const now = this.nowSec();
    if (caller.firstIat + REFRESH_LIMIT_SEC < now) throw unauthenticated('expired jwt');
    const exp = now + REFRESH_VALID_SEC;
    return { token: this.sign(claimsOfCaller(caller, now, exp, this.ring.kid)), exp };
  }

  /** A short-lived token for opening a websocket (`validMs`, the Config's 2 min). */
  wsToken(caller: Caller, validMs: number): string {
    const now = this.nowSec();
    return this.sign(claimsOfCaller(caller, now, now + Math.floor(validMs / 1000), this.ring.kid));
  }

  /**
   * Checks a login token: 401 `invalid or expired jwt` when it is not ours, 400 with the
   * original's JWT library text (`token is expired by 1m0s`) when it has expired.
   */
  async verifyLogin(token: string): Promise<UserClaims> {
    const claims = await this.verifySignature(token);
    if (!claims) throw invalidJwt();
    this.checkTimes(claims);
    const c = claims as Partial<UserClaims>;
    if (
      typeof c.username !== 'string' ||
      c.username === '' ||
      (c.authtype !== 'passwordauth' && c.authtype !== 'apikeyauth') ||
      typeof c.iat !== 'number'
    )
      throw invalidJwt();
    return {
      iat: c.iat,
      exp: typeof c.exp === 'number' ? c.exp : 0,
      username: c.username,
      email: typeof c.email === 'string' ? c.email : '',
      kid: typeof c.kid === 'number' ? c.kid : 0,
      ...(typeof c.firstiat === 'number' ? { firstiat: c.firstiat } : {}),
      authtype: c.authtype,
      apikeyusername: typeof c.apikeyusername === 'string' ? c.apikeyusername : '',
    };
  }

  /** A token mailed for `purpose`, valid `validSec`. */
  emailToken(purpose: EmailPurpose, username: string, email: string, validSec: number): string {
    const iat = this.nowSec();
    const claims: EmailClaims = { iat, exp: iat + validSec, username, email, kid: this.ring.kid, purpose };
    return this.sign(claims);
  }

  /** Checks an emailed token; 401 `invalid or expired token` otherwise (the original's answer). */
  async verifyEmailToken(token: string, purpose: EmailPurpose): Promise<EmailClaims> {
    const bad = (): Error => new HttpError(401, Code.UNAUTHENTICATED, 'invalid or expired token');
    const claims = await this.verifySignature(token);
    if (!claims || claims['purpose'] !== purpose) throw bad();
    const now = this.nowSec();
    const exp = claims['exp'];
    if (typeof exp !== 'number' || now > exp) throw bad();
    const c = claims as Partial<EmailClaims>;
    if (typeof c.username !== 'string' || typeof c.email !== 'string') throw bad();
    return { iat: c.iat ?? 0, exp, username: c.username, email: c.email, kid: c.kid ?? 0, purpose };
  }

  /** Adds a new signing key version (older versions keep verifying). */
  rotate(): Promise<number> {
    return this.ring.rotate();
  }

  private sign(claims: object): string {
    return signHs512(claims, this.ring.signingKey());
  }

  /** The claims when the signature is valid with the key named by `kid`, else undefined. */
  private async verifySignature(token: string): Promise<Record<string, unknown> | undefined> {
    const claims = decodeClaims(token);
    if (!claims || typeof claims['kid'] !== 'number') return undefined;
    const kid = claims['kid'];
    let key = this.ring.key(kid);
    if (!key && kid > this.ring.kid && this.now() - this.lastReload > RELOAD_MIN_INTERVAL_MS) {
      this.lastReload = this.now();
      await this.ring.reload();
      key = this.ring.key(kid);
    }
    if (!key || !verifyHs512(token, key)) return undefined;
    return claims;
  }

  /** jwt-go's StandardClaims checks: expired (400 with its text), used before issued (401). */
  private checkTimes(claims: Record<string, unknown>): void {
    const now = this.nowSec();
    const exp = claims['exp'];
    if (typeof exp === 'number' && now > exp)
      throw invalidArgument(`token is expired by ${formatGoDuration((now - exp) * 1000)}`);
    const iat = claims['iat'];
    if (typeof iat === 'number' && now < iat) throw invalidJwt();
  }
}
