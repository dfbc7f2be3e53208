/** Retry delays of a failing key. */
export interface BackoffOptions {
  /** First retry delay; default 100 ms. */
  readonly initialMs?: number;
  /** Longest delay; default 60 s. */
  readonly maxMs?: number;
  /** Growth per failure; default 2. */
  readonly factor?: number;
  /** Random spread, a fraction of the delay (0.2 = ±20 %); default 0.2. */
  readonly jitter?: number;
  /** Random source; default Math.random. */
  readonly random?: () => number;
}

/** The delay before retry number `attempt` (1 for the first failure): exponential, capped, jittered. */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialMs ?? 100;
  const max = opts.maxMs ?? 60_000;
  const factor = opts.factor ?? 2;
  const jitter = opts.jitter ?? 0.2;
  const random = opts.random ?? Math.random;
  const base = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  const spread = base * jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(max, base + spread)));
}
