/**
 * A push-to-pull bridge: producers `push` items (and finally `end` or `fail`), one
 * consumer iterates them in order. Used to turn cache callbacks into a stream of messages.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private done = false;
  private error: unknown = undefined;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.done) return;
    this.items.push(item);
    this.notify();
  }

  /** No more items: the iteration ends after the queued ones. */
  end(): void {
    this.done = true;
    this.notify();
  }

  /** The iteration throws `err` after the queued items. */
  fail(err: unknown): void {
    if (this.done) return;
    this.error = err ?? new Error('failed');
    this.done = true;
    this.notify();
  }

  get ended(): boolean {
    return this.done;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.done) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
