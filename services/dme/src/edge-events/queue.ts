/** An unbounded async queue: producers push, one consumer iterates until `end()` or `fail()`. */
export class Queue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private error: unknown;

  push(item: T): boolean {
    if (this.ended) return false;
    this.items.push(item);
    this.signal();
    return true;
  }

  end(): void {
    this.ended = true;
    this.signal();
  }

  fail(err: unknown): void {
    if (this.ended) return;
    this.error = err ?? new Error('queue failed');
    this.end();
  }

  private signal(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const next = this.items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.error !== undefined) throw this.error;
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
    }
  }
}
