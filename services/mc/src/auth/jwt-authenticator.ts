import { invalidArgument, unauthenticated } from '@edge/errors';
import type { Authenticator, Caller } from './caller';
import { callerFromClaims, type TokenService } from './tokens';

/** The token of a request: `Authorization: Bearer <jwt>`, else the `token` cookie. */
export function requestToken(headers: {
  authorization?: string | undefined;
  cookie?: string | undefined;
}): string {
  const auth = headers.authorization ?? '';
  if (auth.length > 'Bearer'.length && auth.startsWith('Bearer')) return auth.slice('Bearer '.length).trim();
  for (const part of (headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === 'token') return decodeURIComponent(part.slice(i + 1).trim());
  }
  return '';
}

/** The MC's Authenticator over its login tokens; also checks websocket tokens. */
export class JwtAuthenticator implements Authenticator {
  constructor(private readonly tokens: TokenService) {}

  async authenticate(headers: {
    authorization?: string | undefined;
    cookie?: string | undefined;
  }): Promise<Caller> {
    const token = requestToken(headers);
    if (!token) throw invalidArgument('no bearer token found');
    return this.authenticateToken(token);
  }

  /**
   * The caller of a bare token, e.g. the `{"token": …}` a websocket client sends first
   * (a `wstoken`): 401 `invalid or expired jwt`, 400 `token is expired by …`.
   */
  async authenticateToken(token: string): Promise<Caller> {
    return callerFromClaims(await this.tokens.verifyLogin(token));
  }

  /** A websocket's first message `{"token": …}` (a `wstoken`): every failure is 401 `invalid or expired jwt`, as the original. */
  async authenticateWsToken(token: string): Promise<Caller> {
    if (!token) throw unauthenticated('no bearer token found');
    try {
      return await this.authenticateToken(token);
    } catch {
      throw unauthenticated('invalid or expired jwt');
    }
  }
}
