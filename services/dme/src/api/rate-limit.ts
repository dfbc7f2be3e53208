import { Code, EdgeError } from '@edge/errors';
import type { ServerInterceptor } from '@edge/rpc';
import { peerIp } from './match-engine';

/** Requests per second allowed (token bucket, burst = one second's worth); 0 = unlimited. */
export interface RateLimits {
  perIp: number;
  perApi: number;
}

class Buckets {
  private readonly tokens = new Map<string, { t: number; last: number }>();
  constructor(private readonly rate: number) {}

  take(key: string, nowMs: number): boolean {
    let b = this.tokens.get(key);
    if (!b) {
      b = { t: this.rate, last: nowMs };
      this.tokens.set(key, b);
      if (this.tokens.size > 100_000) this.tokens.clear();
    }
    b.t = Math.min(this.rate, b.t + ((nowMs - b.last) / 1000) * this.rate);
    b.last = nowMs;
    if (b.t < 1) return false;
    b.t -= 1;
    return true;
  }
}

/**
 * Limits calls per client IP and per API method (RESOURCE_EXHAUSTED over gRPC, 429 over
 * REST), like the original's RateLimitManager with per-IP and per-API limiters.
 */
export function rateLimitInterceptor(limits: RateLimits, now: () => number = Date.now): ServerInterceptor {
  const ip = limits.perIp > 0 ? new Buckets(limits.perIp) : undefined;
  const api = limits.perApi > 0 ? new Buckets(limits.perApi) : undefined;
  return (ctx, next) => {
    const t = now();
    const method = ctx.method.name;
    if (api && !api.take(method, t))
      return Promise.reject(new EdgeError(Code.RESOURCE_EXHAUSTED, `Exceeded rate limit for ${method}`));
    if (ip && !ip.take(`${method}\0${peerIp(ctx.peer)}`, t))
      return Promise.reject(
        new EdgeError(Code.RESOURCE_EXHAUSTED, `Exceeded rate limit for ${method} from ${peerIp(ctx.peer)}`),
      );
    return next();
  };
}
