import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** Metadata / header name that carries the trace id between processes. */
export const TRACE_HEADER = 'x-trace-id';

/** A new random trace id: 16 hex characters. */
export function newTraceId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Carries the trace id of the request being served across awaits. One instance is
 * made in `main.ts` and handed to the logger and to the RPC/HTTP edges.
 */
export class TraceContext {
  private readonly storage = new AsyncLocalStorage<string>();

  /** Runs `fn` with `traceId` as the current trace id. */
  run<T>(traceId: string, fn: () => T): T {
    return this.storage.run(traceId, fn);
  }

  /** The trace id of the request being served, if any. */
  current(): string | undefined {
    return this.storage.getStore();
  }
}
