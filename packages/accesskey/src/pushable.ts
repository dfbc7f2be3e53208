/** An async iterable fed by `push`, ended by `end`: the request side of a bidi call. */
export interface Pushable<T> extends AsyncIterable<T> {
  push(value: T): void;
  end(): void;
}

/** Makes a {@link Pushable}; values pushed before iteration starts are kept. */
export function pushable<T>(): Pushable<T> {
  const queue: T[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  return {
    push(value) {
      queue.push(value);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}
