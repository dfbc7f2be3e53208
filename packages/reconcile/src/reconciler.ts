import { silentLogger, type Logger } from '@edge/log';
import { backoffDelay, type BackoffOptions } from './backoff';
import { TerminalError } from './errors';
import { WorkQueue } from './work-queue';

/** What one reconcile of a key asks for next. */
export interface ReconcileResult {
  /** Reconcile the key again after this long (e.g. to poll an operation), even without a change. */
  readonly requeueAfterMs?: number;
}

/**
 * Brings one key's observed state towards its desired state. It reads both itself (from
 * caches, never from the event that enqueued the key), so running it once more is always
 * safe. Throwing retries the key with backoff, unless the error is a TerminalError.
 * `signal` aborts when the reconciler stops.
 */
export type ReconcileFn = (key: string, signal: AbortSignal) => Promise<ReconcileResult | void>;

/** Options of a {@link Reconciler}. */
export interface ReconcilerOptions {
  readonly reconcile: ReconcileFn;
  /** Keys reconciled at the same time; default 4. */
  readonly concurrency?: number;
  /** Retry delays of failing keys (see {@link backoffDelay}). */
  readonly backoff?: BackoffOptions;
  /**
   * Decides the retry of a failure: a delay in ms, or undefined for none. Default: the
   * backoff delay, none for a TerminalError.
   */
  readonly retry?: (key: string, err: unknown, attempt: number) => number | undefined;
  /** Told of every failure (after the retry decision), e.g. for metrics. */
  readonly onError?: (key: string, err: unknown, attempt: number, retryInMs: number | undefined) => void;
  /** Component name in logs; default `reconciler`. */
  readonly name?: string;
  readonly log?: Logger;
}

/** A reconciler's figures. */
export interface ReconcilerStats {
  readonly queued: number;
  readonly running: number;
  /** Keys waiting for a delayed reconcile (retry or requeue). */
  readonly delayed: number;
  /** Keys whose last reconcile failed. */
  readonly failing: number;
}

/** Options of {@link Reconciler.stop}. */
export interface StopOptions {
  /** Let running reconciles finish for up to this long before aborting them; default 0. */
  readonly graceMs?: number;
}

/**
 * A level-based reconcile loop in the shape of controller-runtime: keys go into a
 * de-duplicating {@link WorkQueue}; up to `concurrency` keys are reconciled at once, never
 * one key twice at the same time; a key enqueued while it is being reconciled runs once
 * more afterwards, with whatever the state is then (the latest desired state wins, the
 * intermediate ones are coalesced); failures retry with backoff; `stop` aborts.
 *
 * @example
 *   const r = new Reconciler({ reconcile: (key, signal) => syncOne(key, signal), concurrency: 8 });
 *   cache.onChange((key) => r.enqueue(key));
 *   r.start();
 *   r.enqueueAll(cache.keys());
 *   …
 *   await r.stop({ graceMs: 5000 });
 */
export class Reconciler {
  private readonly queue = new WorkQueue();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly log: Logger;
  private started = false;
  private stopped = false;

  constructor(private readonly options: ReconcilerOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.log = (options.log ?? silentLogger()).child({ component: options.name ?? 'reconciler' });
  }

  /** Starts reconciling (keys enqueued before wait until then). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.pump();
  }

  /** Reconcile `key` soon (once, however often it is enqueued before it runs). */
  enqueue(key: string): void {
    if (this.stopped) return;
    this.cancelTimer(key);
    this.queue.add(key);
    this.pump();
  }

  /** Enqueues every key. */
  enqueueAll(keys: Iterable<string>): void {
    for (const k of keys) this.enqueue(k);
  }

  /** Reconcile `key` after `ms` (an earlier pending delay of the key wins). */
  enqueueAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.enqueue(key);
    const at = Date.now() + ms;
    const cur = this.timers.get(key);
    if (cur && cur.at <= at) return;
    if (cur) clearTimeout(cur.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key);
    }, ms);
    timer.unref?.();
    this.timers.set(key, { at, timer });
  }

  /** Whether `key` is being reconciled now. */
  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Resolves when nothing is queued or running (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): ReconcilerStats {
    return {
      queued: this.queue.length,
      running: this.running.size,
      delayed: this.timers.size,
      failing: this.failures.size,
    };
  }

  /**
   * Stops taking work, drops what is queued or delayed, gives running reconciles
   * `graceMs` to finish, then aborts their signals and waits for them to return.
   */
  async stop(opts: StopOptions = {}): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    this.queue.clear();
    const all = (): Promise<unknown> => Promise.all([...this.running.values()].map((r) => r.done));
    const grace = opts.graceMs ?? 0;
    if (grace > 0 && this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([all(), new Promise((r) => (timer = setTimeout(r, grace)))]);
      clearTimeout(timer);
    }
    for (const r of this.running.values()) r.abort.abort(new Error('reconciler stopped'));
    await all();
    this.settleIdle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.running.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle() && !this.stopped) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private cancelTimer(key: string): void {
    const t = this.timers.get(key);
    if (!t) return;
    clearTimeout(t.timer);
    this.timers.delete(key);
  }

  private pump(): void {
    if (!this.started || this.stopped) return;
    while (this.running.size < this.concurrency) {
      const key = this.queue.take();
      if (key === undefined) break;
      const abort = new AbortController();
      const entry = { abort, done: Promise.resolve() };
      this.running.set(key, entry);
      entry.done = this.run(key, abort.signal).finally(() => {
        this.running.delete(key);
        this.queue.done(key);
        this.pump();
        this.settleIdle();
      });
    }
  }

  private async run(key: string, signal: AbortSignal): Promise<void> {
    try {
      const result = await this.options.reconcile(key, signal);
      this.failures.delete(key);
      if (result?.requeueAfterMs !== undefined) this.enqueueAfter(key, result.requeueAfterMs);
    } catch (err) {
      if (signal.aborted) {
        this.log.debug({ key }, 'reconcile aborted');
        return;
      }
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      const retryIn = this.options.retry
        ? this.options.retry(key, err, attempt)
        : err instanceof TerminalError
          ? undefined
          : backoffDelay(attempt, this.options.backoff);
      this.log.warn({ key, err, attempt, retryInMs: retryIn }, 'reconcile failed');
      this.options.onError?.(key, err, attempt, retryIn);
      if (retryIn !== undefined) this.enqueueAfter(key, retryIn);
    }
  }
}
