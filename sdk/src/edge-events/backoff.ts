/** Reconnect delays: exponential from `initialMs` up to `maxMs`, with jitter in [50 %, 100 %]. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** In [0, 1); default Math.random. */
  random?: () => number;
}

/** The delay before reconnect attempt `attempt` (0 for the first). */
export function backoffDelay(b: Backoff, attempt: number): number {
  const full = Math.min(b.maxMs, b.initialMs * 2 ** Math.min(attempt, 30));
  const r = (b.random ?? Math.random)();
  return Math.round(full * (0.5 + r / 2));
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
