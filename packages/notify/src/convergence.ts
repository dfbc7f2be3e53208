/** Commit → last-ack times of recent revisions. */
export interface ConvergenceSummary {
  /** Revisions measured (of the most recent `window`). */
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * Measures how long a published revision takes to be acknowledged by every synced child:
 * the time from `published(rev)` until the lowest acked revision reaches it. Keeps the
 * last `window` samples and at most `maxOpen` revisions awaiting acks (the oldest give up).
 */
export class Convergence {
  /** Revision → publish time, in revision order (Map keeps insertion order). */
  private readonly open = new Map<number, number>();
  private readonly samples: number[] = [];
  private next = 0;

  constructor(
    private readonly window = 1024,
    private readonly maxOpen = 100_000,
  ) {}

  /** A revision was published at `now`. */
  published(rev: number, now: number): void {
    this.open.set(rev, now);
    if (this.open.size > this.maxOpen) {
      const oldest = this.open.keys().next();
      if (!oldest.done) this.open.delete(oldest.value);
    }
  }

  /**
   * Every child has acked up to `minAcked` (undefined: there is no synced child, so the
   * open revisions are dropped unmeasured).
   */
  settle(minAcked: number | undefined, now: number): void {
    for (const [rev, t] of this.open) {
      if (minAcked !== undefined && rev > minAcked) break;
      this.open.delete(rev);
      if (minAcked !== undefined) this.sample(now - t);
    }
  }

  /** Percentiles of the recent samples (zeros before the first). */
  summary(): ConvergenceSummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return { count: sorted.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] ?? 0 };
  }

  private sample(ms: number): void {
    if (this.samples.length < this.window) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.window;
  }
}
