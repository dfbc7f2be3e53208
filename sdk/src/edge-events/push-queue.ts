/**
 * An unbounded async queue: the producer pushes, one consumer iterates. Used as the request
 * side of a bidi stream, so messages can be sent whenever the app wants.
 */
export class PushQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private ended = false;

  /** Queues `item`; false when the queue has ended. */
  push(item: T): boolean {
    if (this.ended) return false;
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w({ done: false, value: item });
    } else {
      this.items.push(item);
    }
    return true;
  }

  /** Ends the queue: the consumer gets what is queued, then done. */
  end(): void {
    this.ended = true;
    const w = this.waiting;
    this.waiting = undefined;
    w?.({ done: true, value: undefined });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ done: false, value: this.items.shift() as T });
        if (this.ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.end();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}
