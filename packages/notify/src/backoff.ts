/** Reconnect delays of a child. */
export interface BackoffOptions {
  /** First delay after a failure; default 250 ms (the original's fixed retry time). */
  initialMs?: number;
  /** Largest delay; default 10 s. */
  maxMs?: number;
  /** Random source in [0, 1); default Math.random (tests pass a fixed one). */
  random?: () => number;
}

/**
 * Jittered exponential backoff: the n-th consecutive failure waits a random time between
 * half and all of `min(max, initial·2ⁿ)`, so a thousand children that lost the same parent
 * do not come back in lockstep. `reset()` after a connection that worked.
 */
export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** Back to the initial delay. */
  reset(): void {
    this.failures = 0;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; leaves no timer behind. */
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
