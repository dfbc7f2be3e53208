/**
 * A de-duplicating queue of keys with the semantics of client-go's workqueue: a key waits
 * in the queue at most once however often it is added; a key that is being processed is
 * never handed out again until `done`, and if it was added meanwhile it goes back into the
 * queue then (once). So no key is worked on twice at the same time, and a change that
 * arrives during the work is never lost: the next run sees the latest state.
 */
export class WorkQueue {
  private readonly order: string[] = [];
  /** Keys that need processing (queued, or added again while processing). */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();

  /** Marks `key` for processing; true when it was not already waiting. */
  add(key: string): boolean {
    if (this.dirty.has(key)) return false;
    this.dirty.add(key);
    if (!this.processing.has(key)) this.order.push(key);
    return true;
  }

  /** The next key to process (now marked as processing), or undefined when none is ready. */
  take(): string | undefined {
    const key = this.order.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  /** Ends the processing of `key`; it is queued again if it was added meanwhile. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.order.push(key);
  }

  /** Keys waiting (not counting those being processed). */
  get length(): number {
    return this.order.length;
  }

  /** Keys being processed. */
  get inProgress(): number {
    return this.processing.size;
  }

  isProcessing(key: string): boolean {
    return this.processing.has(key);
  }

  /** Whether `key` waits to be processed (again). */
  isQueued(key: string): boolean {
    return this.dirty.has(key);
  }

  /** Drops every waiting key (keys being processed stay until `done`, and are not re-queued). */
  clear(): void {
    this.order.length = 0;
    this.dirty.clear();
  }
}
