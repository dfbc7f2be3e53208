import type { HandlerContext } from './context';

/** Continues a call: runs the rest of the chain and the handler, resolves when the call is done. */
export type Next = () => Promise<void>;

/**
 * Runs around every call, outermost first. `next()` resolves when the handler has
 * finished (for streaming responses: when the last message was sent) and rejects with
 * the EdgeError the call ends with. Throwing an EdgeError ends the call with it.
 */
export type ServerInterceptor = (ctx: HandlerContext, next: Next) => Promise<void>;

/**
 * Decides whether a call may proceed, before the handler runs. Throws an EdgeError —
 * `unauthenticated(…)` or `permissionDenied(…)` — to refuse it.
 */
export type AuthHook = (ctx: HandlerContext) => void | Promise<void>;

/** Runs `interceptors` around `inner`, the first one outermost. */
export function runInterceptors(
  ctx: HandlerContext,
  interceptors: readonly ServerInterceptor[],
  inner: Next,
): Promise<void> {
  const step = (i: number): Promise<void> => {
    const interceptor = interceptors[i];
    if (interceptor === undefined) return inner();
    return interceptor(ctx, () => step(i + 1));
  };
  return step(0);
}

/** An interceptor that runs the auth hook before the rest of the call. */
export function authInterceptor(auth: AuthHook): ServerInterceptor {
  return async (ctx, next) => {
    await auth(ctx);
    await next();
  };
}
