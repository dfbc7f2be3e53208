/**
 * A level-triggered wake-up for one waiting loop: `notify()` before `wait()` is not lost,
 * and many notifies while the loop works make one wake-up.
 */
export class Wakeup {
  private pending = false;
  private wake: (() => void) | undefined;

  /** Wakes the waiting loop (or the next `wait`). */
  notify(): void {
    this.pending = true;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /**
   * Resolves `true` when notified, `false` after `timeoutMs` or when `signal` aborts;
   * leaves no timer behind.
   */
  wait(signal: AbortSignal, timeoutMs?: number): Promise<boolean> {
    if (this.pending || signal.aborted) {
      const was = this.pending;
      this.pending = false;
      return Promise.resolve(was);
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (notified: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        this.pending = false;
        resolve(notified);
      };
      const onAbort = (): void => done(false);
      this.wake = () => done(true);
      if (timeoutMs !== undefined) timer = setTimeout(() => done(false), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
