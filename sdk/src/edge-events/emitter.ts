/** A listener of one event. */
export type Listener<T> = (payload: T) => void;

/**
 * A small typed event emitter that works in browsers and Node (no `node:events`). A
 * listener that throws is reported to `onListenerError` and does not stop the others.
 */
export class Emitter<M extends object> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (err: unknown, event: keyof M) => void) {}

  /** Calls `fn` on every `event`; returns the function that removes it. */
  on<K extends keyof M>(event: K, fn: Listener<M[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => set.delete(fn as Listener<never>);
  }

  /** The next `event`'s payload; rejects when `signal` aborts first. */
  once<K extends keyof M>(event: K, signal?: AbortSignal): Promise<M[K]> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        off();
        reject(
          signal?.reason instanceof Error ? signal.reason : new Error(`aborted waiting for ${String(event)}`),
        );
      };
      const off = this.on(event, (payload) => {
        off();
        signal?.removeEventListener('abort', onAbort);
        resolve(payload);
      });
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Calls the listeners of `event`. */
  emit<K extends keyof M>(event: K, payload: M[K]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try {
        (fn as Listener<M[K]>)(payload);
      } catch (err) {
        this.onListenerError(err, event);
      }
    }
  }
}
