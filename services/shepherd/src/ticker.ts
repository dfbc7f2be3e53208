/**
 * Runs `work` periodically: once at start, then every `intervalMs()` measured from the
 * start of the previous run, never two runs at once. The interval is re-read for every
 * wait, and `reschedule()` applies a changed interval to the wait under way (a Settings
 * change takes effect at once, not after the old, maybe long, period).
 */
export class Ticker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private active = false;
  private again = false;
  private lastStart = 0;

  constructor(
    private readonly work: () => Promise<void> | void,
    private readonly intervalMs: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Starts: the first run is now. Idempotent. */
  start(): void {
    if (this.active) return;
    this.active = true;
    this.wait(0);
  }

  /** The next run is due one (current) interval after the last start; now when that has passed. */
  reschedule(): void {
    if (!this.active || this.running) return; // the wait after the run reads the interval anew
    this.wait(this.due());
  }

  /** Runs as soon as possible (after the run under way, if any). */
  trigger(): void {
    if (!this.active) return;
    if (this.running) this.again = true;
    else this.wait(0);
  }

  /** Stops; resolves when a run under way has ended. */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private due(): number {
    return Math.max(0, this.lastStart + this.intervalMs() - Date.now());
  }

  private wait(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.active) return;
    this.lastStart = Date.now();
    this.again = false;
    this.running = (async () => {
      try {
        await this.work();
      } catch (err) {
        this.onError(err);
      }
    })();
    await this.running;
    this.running = undefined;
    if (this.active) this.wait(this.again ? 0 : this.due());
  }
}
