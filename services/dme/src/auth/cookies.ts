import { unauthenticated } from '@edge/errors';
import type { dme } from '@edge/proto';
import { decodeClaims, signHs512, verifyHs512 } from './jwt';
import type { KeyRing } from './key-ring';

/** Verified cookies remembered (each a few hundred bytes). */
const VERIFIED_CACHE = 10_000;

/** The session cookie's `key` claim (the original's CookieKey; JSON names as the original). */
export interface CookieKey {
  peerip?: string;
  orgname?: string;
  appname?: string;
  appvers?: string;
  uniqueidtype?: string;
  uniqueid?: string;
  kid?: number;
}

/** The edge-events cookie's `key` claim (EdgeEventsCookieKey). */
export interface EdgeEventsCookieKey {
  clusterorg?: string;
  clustername?: string;
  cloudletorg?: string;
  cloudletname?: string;
  location?: { latitude: number; longitude: number };
  kid?: number;
}

export const INVALID_COOKIE = 'invalid or expired cookie';
export const NO_KEY_DATA = 'No Key data in cookie';

/** Makes and checks the HS512 cookies with the ring's keys and the injected clock. */
export class Cookies {
  constructor(
    private readonly ring: KeyRing,
    private readonly opts: { sessionMs: number; edgeEventsMs: number; now?: () => number },
  ) {}

  private nowMs(): number {
    return (this.opts.now ?? Date.now)();
  }

  session(key: Omit<CookieKey, 'kid'>): string {
    return this.sign(key, this.opts.sessionMs);
  }

  edgeEvents(key: Omit<EdgeEventsCookieKey, 'kid'>): string {
    return this.sign(key, this.opts.edgeEventsMs);
  }

  /** The key of a valid session cookie; UNAUTHENTICATED with the original texts otherwise. */
  verifySession(cookie: string): CookieKey {
    return this.verify(cookie) as CookieKey;
  }

  verifyEdgeEvents(cookie: string): EdgeEventsCookieKey {
    return this.verify(cookie) as EdgeEventsCookieKey;
  }

  private sign(key: object, ttlMs: number): string {
    const now = Math.floor(this.nowMs() / 1000);
    const claims = { exp: now + Math.floor(ttlMs / 1000), iat: now, key: { ...key, kid: this.ring.kid } };
    return signHs512(claims, this.ring.signingKey());
  }

  /**
   * Verified cookies, most recent last (bounded): a device sends the same session cookie on
   * every call, so the signature is checked once; expiry and the key's presence in the ring
   * are checked on every use.
   */
  private readonly verified = new Map<string, { key: object; kid: number; exp: number }>();

  private verify(cookie: string): object {
    const hit = this.verified.get(cookie);
    if (hit) {
      if (this.ring.key(hit.kid) && Math.floor(this.nowMs() / 1000) <= hit.exp) return hit.key;
      this.verified.delete(cookie);
    }
    return this.verifyFully(cookie);
  }

  private verifyFully(cookie: string): object {
    const claims = decodeClaims(cookie);
    if (!claims) throw unauthenticated(INVALID_COOKIE);
    const key = claims['key'];
    if (typeof key !== 'object' || key === null) throw unauthenticated(NO_KEY_DATA);
    const kid = (key as { kid?: unknown }).kid;
    const secret = typeof kid === 'number' ? this.ring.key(kid) : undefined;
    if (!secret || !verifyHs512(cookie, secret)) throw unauthenticated(INVALID_COOKIE);
    const exp = claims['exp'];
    if (typeof exp !== 'number' || Math.floor(this.nowMs() / 1000) > exp)
      throw unauthenticated(INVALID_COOKIE);
    if (this.verified.size >= VERIFIED_CACHE)
      this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(cookie, { key, kid: kid as number, exp });
    return key;
  }
}

/** The client location as the edge-events cookie carries it. */
export const cookieLocation = (loc: dme.Loc | undefined): { latitude: number; longitude: number } => ({
  latitude: loc?.latitude ?? 0,
  longitude: loc?.longitude ?? 0,
});
