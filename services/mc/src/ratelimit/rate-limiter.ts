import { Code, EdgeError } from '@edge/errors';
import { TokenBucket } from './token-bucket';

/** reqs/s and burst of one token bucket. */
export interface FlowSetting {
  readonly reqsPerSecond: number;
  readonly burstSize: number;
}

/** The limits of one API path (`Global` = every path without its own). */
export interface EndpointLimits {
  readonly allRequests?: FlowSetting;
  readonly perIp?: FlowSetting;
  readonly perUser?: FlowSetting;
}

/** The name of the fallback limits (edgeproto.GlobalApiName). */
export const GLOBAL_API = 'Global';

/** The original's defaults (mc/orm/ratelimitmc.go). */
export const DEFAULT_LIMITS: Readonly<Record<string, EndpointLimits>> = {
  [GLOBAL_API]: {
    allRequests: { reqsPerSecond: 10000, burstSize: 500 },
    perIp: { reqsPerSecond: 1000, burstSize: 100 },
    perUser: { reqsPerSecond: 1000, burstSize: 100 },
  },
  '/api/v1/usercreate': {
    allRequests: { reqsPerSecond: 100, burstSize: 5 },
    perIp: { reqsPerSecond: 2, burstSize: 2 },
  },
};

/** Runtime knobs read from the Config on every call. */
export interface RateLimitSettings {
  readonly disabled: boolean;
  readonly maxTrackedIps: number;
  readonly maxTrackedUsers: number;
}

class Endpoint {
  private all: TokenBucket | undefined;
  private readonly ips = new Map<string, TokenBucket>();
  private readonly users = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: EndpointLimits,
    now: number,
  ) {
    this.all =
      limits.allRequests &&
      new TokenBucket(limits.allRequests.reqsPerSecond, limits.allRequests.burstSize, now);
  }

  /** The refusal reason, or undefined when allowed. */
  limit(ip: string, user: string, s: RateLimitSettings, now: number): string | undefined {
    if (this.limits.perIp && ip) {
      const b = track(this.ips, ip, s.maxTrackedIps, () => bucket(this.limits.perIp!, now));
      if (!b.allow(now)) return `Client exceeded api rate limit per ip. ${b.refusal()}`;
    }
    if (this.limits.perUser && user) {
      const b = track(this.users, user, s.maxTrackedUsers, () => bucket(this.limits.perUser!, now));
      if (!b.allow(now)) return `user "${user}" exceeded api rate limit per user. ${b.refusal()}`;
    }
    if (this.all && !this.all.allow(now)) return this.all.refusal();
    return undefined;
  }
}

const bucket = (f: FlowSetting, now: number): TokenBucket =>
  new TokenBucket(f.reqsPerSecond, f.burstSize, now);

/** The bucket of `key`, evicting the oldest tracked keys to stay under `max`. */
function track(
  map: Map<string, TokenBucket>,
  key: string,
  max: number,
  make: () => TokenBucket,
): TokenBucket {
  let b = map.get(key);
  if (!b) {
    for (const k of map.keys()) {
      if (map.size < Math.max(1, max)) break;
      map.delete(k);
    }
    b = make();
    map.set(key, b);
  }
  return b;
}

/**
 * The MC's API rate limiter (the original's RateLimitManager): per path (falling back to
 * `Global`), a caller is its user when the token was read, else its IP; refusals are
 * 429 `<path> is rejected, please retry later. Error is: <reason>.`.
 */
export class RateLimiter {
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(
    private readonly settings: () => RateLimitSettings,
    private readonly now: () => number = Date.now,
    limits: Readonly<Record<string, EndpointLimits>> = DEFAULT_LIMITS,
  ) {
    for (const [api, l] of Object.entries(limits)) this.endpoints.set(api, new Endpoint(l, this.now()));
  }

  /** Throws RESOURCE_EXHAUSTED (429) when the call is over its rate. */
  check(path: string, ip: string, user: string | undefined): void {
    const s = this.settings();
    if (s.disabled) return;
    const ep = this.endpoints.get(path) ?? this.endpoints.get(GLOBAL_API);
    if (!ep) return;
    const reason = ep.limit(user ? '' : ip, user ?? '', s, this.now());
    if (reason)
      throw new EdgeError(
        Code.RESOURCE_EXHAUSTED,
        `${path} is rejected, please retry later. Error is: ${reason}.`,
      );
  }
}
