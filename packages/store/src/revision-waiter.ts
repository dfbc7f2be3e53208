import { Code, EdgeError } from '@edge/errors';

interface Waiter {
  readonly rev: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Promises that resolve once a revision counter reaches a value: the "syncWait" of a cache.
 * While any is pending, `onPending` is called every `pollMs` (the cache asks its watch for
 * progress then, in case the revision changed nothing it watches).
 */
export class RevisionWaiters {
  private applied = 0;
  private readonly waiters = new Set<Waiter>();
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly pollMs: number,
    private readonly onPending: () => void,
  ) {}

  /** The highest revision reached. */
  get revision(): number {
    return this.applied;
  }

  /** Moves the counter forward (never back) and resolves the waiters it satisfies. */
  advance(rev: number): void {
    if (rev <= this.applied) return;
    this.applied = rev;
    for (const w of this.waiters) {
      if (w.rev <= rev) {
        this.remove(w);
        w.resolve();
      }
    }
  }

  /** Resolves once the counter is at least `rev`; rejects DEADLINE_EXCEEDED after `timeoutMs`. */
  wait(rev: number, timeoutMs: number): Promise<void> {
    if (rev <= this.applied) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        rev,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(w);
          reject(
            new EdgeError(
              Code.DEADLINE_EXCEEDED,
              `timed out after ${timeoutMs} ms waiting for revision ${rev} (cache at ${this.applied})`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(w);
      this.poll ??= setInterval(() => this.onPending(), this.pollMs);
    });
  }

  /** Rejects every pending wait (the cache stopped). */
  rejectAll(err: Error): void {
    for (const w of [...this.waiters]) {
      this.remove(w);
      w.reject(err);
    }
  }

  private remove(w: Waiter): void {
    clearTimeout(w.timer);
    this.waiters.delete(w);
    if (this.waiters.size === 0 && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }
}
