/** How the caller's token was obtained (the original's `authtype` claim). */
export type AuthType = 'passwordauth' | 'apikeyauth';

/** The authenticated user behind a request to `/api/v1/auth/...`. */
export interface Caller {
  /** The user's name (for an API-key login, the key's owner). */
  readonly username: string;
  readonly email: string;
  readonly authType: AuthType;
  /** Set for API-key logins. */
  readonly apiKeyId: string | undefined;
  /** Whom RBAC checks: the API key id for API-key logins (its own role), else the username. */
  readonly subject: string;
  /** Token issue time and first issue time (refresh limit), seconds since the epoch. */
  readonly iat: number;
  readonly firstIat: number;
}

/** Turns a request's token (Bearer header or `token` cookie) into its caller, or throws the original's errors. */
export interface Authenticator {
  authenticate(headers: { authorization?: string | undefined; cookie?: string | undefined }): Promise<Caller>;
}
