import { setTimeout as sleep } from 'node:timers/promises';
import { EdgeError, unauthenticated } from '@edge/errors';
import type { AuthHook, HandlerContext } from '@edge/rpc';
import { verifyAccessKey, type AccessKeyVerified, type LookupCloudlet } from './verify-access-key';

/** Options of `createAccessKeyAuth`. */
export interface AccessKeyAuthOptions {
  lookupCloudlet: LookupCloudlet;
  /**
   * Pause before refusing a call, to slow down probing, as the original's BadAuthDelay;
   * default 3000 ms. Tests pass 0. The pause ends early when the call is cancelled.
   */
  badAuthDelayMs?: number;
}

/** Access-key authentication of a service, and the identity it established per call. */
export interface AccessKeyAuth {
  /** For `addService(…, { auth })`: refuses calls without a valid access key signature. */
  readonly hook: AuthHook;
  /** The identity the hook verified for this call; undefined if the hook did not run. */
  verified(ctx: HandlerContext): AccessKeyVerified | undefined;
  /** As `verified`, but throws UNAUTHENTICATED when the hook did not run (a wiring bug). */
  require(ctx: HandlerContext): AccessKeyVerified;
}

/**
 * Makes the auth hook that verifies access keys (see `verifyAccessKey`) and remembers,
 * per call, which cloudlet the caller is. The identity is kept in a WeakMap keyed by the
 * call's HandlerContext, owned by this instance: HandlerContext is @edge/rpc's read-only
 * shape, so there is no field to put it in, and the entry goes away with the call.
 * Handlers of the same service read it with `verified(ctx)` / `require(ctx)`.
 *
 * @example
 *   const auth = createAccessKeyAuth({ lookupCloudlet });
 *   addService(server, edgeproto.CloudletAccessApi, impl(auth), { log, auth: auth.hook });
 */
export function createAccessKeyAuth(options: AccessKeyAuthOptions): AccessKeyAuth {
  const delayMs = options.badAuthDelayMs ?? 3000;
  const identities = new WeakMap<HandlerContext, AccessKeyVerified>();
  const hook: AuthHook = async (ctx) => {
    const method = `/${ctx.method.parent.typeName}/${ctx.method.name}`;
    try {
      const verified = await verifyAccessKey(ctx.requestHeader, options.lookupCloudlet, method);
      identities.set(ctx, verified);
      ctx.log.debug({ cloudlet: verified.keyJson }, 'verified access key');
    } catch (err) {
      // The reason names the cloudlet at most; the signature and keys never reach the log.
      ctx.log.info(
        { reason: err instanceof EdgeError ? err.message : String(err) },
        'access key auth failed',
      );
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: ctx.signal }).catch(() => undefined);
      throw err;
    }
  };
  return {
    hook,
    verified: (ctx) => identities.get(ctx),
    require: (ctx) => {
      const v = identities.get(ctx);
      // The original's message for a handler reached without verification.
      if (v === undefined) throw unauthenticated('Client authentication not verified');
      return v;
    },
  };
}
