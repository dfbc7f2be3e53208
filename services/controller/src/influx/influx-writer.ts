import type { Logger } from '@edge/log';
import { InfluxDB, type IPoolOptions } from 'influx';
import { toIPoint, type InfluxPoint } from './points';

/** Options of {@link InfluxWriter}; the defaults are the original InfluxQ's. */
export interface InfluxWriterOptions {
  /** InfluxDB 1.x base URL, e.g. `http://127.0.0.1:8086`. */
  readonly url: string;
  /** Databases to create at start (and whenever InfluxDB comes back); others are created on first write. */
  readonly databases?: readonly string[];
  readonly log: Logger;
  /** Flush at least this often; default 1000 ms. */
  readonly flushIntervalMs?: number;
  /** Flush early once this many points are queued; default 50. */
  readonly flushCount?: number;
  /** Queue bound: beyond it the oldest points are dropped (counted); default 5000. */
  readonly maxQueued?: number;
  /** Most points per HTTP write; default 5000. */
  readonly maxBatch?: number;
  /** First delay after a failed write or create, doubling up to `retryMaxMs`; default 200 ms. */
  readonly retryMinMs?: number;
  /** Default 10 s (the original's reconnect delay). */
  readonly retryMaxMs?: number;
  /** HTTP timeout of one request; default 5 s. */
  readonly requestTimeoutMs?: number;
}

/** Counters of an {@link InfluxWriter}. */
export interface InfluxWriterStats {
  /** Points waiting to be written. */
  readonly queued: number;
  readonly written: number;
  /** Points dropped because the queue was full (InfluxDB unreachable for long). */
  readonly dropped: number;
  /** Points InfluxDB refused (4xx: bad point, field type conflict); not retried. */
  readonly rejected: number;
  /** Write or create requests that failed and will be retried. */
  readonly failures: number;
}

interface Queued {
  readonly db: string;
  readonly point: InfluxPoint;
}

/** No client-side host backoff: the writer paces its own retries, and a single host must not be benched. */
const NO_BACKOFF: NonNullable<IPoolOptions['backoff']> = {
  getDelay: () => 0,
  next: () => NO_BACKOFF,
  reset: () => NO_BACKOFF,
};

/** How often, at most, the "queue full" warning repeats while points are being dropped. */
const DROP_WARN_EVERY_MS = 10_000;

/**
 * A batched, bounded, never-blocking writer of points to InfluxDB 1.x (the original's InfluxQ):
 * `write()` only queues; a timer flushes every `flushIntervalMs` or once `flushCount` points are
 * queued. While InfluxDB is down, writes are retried with backoff and the queue keeps the newest
 * `maxQueued` points, dropping the oldest with a counted warning. Databases are created at
 * start when reachable, else as soon as InfluxDB answers.
 *
 * @example
 * const w = new InfluxWriter({ url: 'http://127.0.0.1:8086', databases: ['events'], log });
 * w.start();
 * w.write('events', { measurement: 'cloudlet', tags: { cloudlet: 'c1' }, fields: { event: 'CREATED' }, timestampNs });
 * await w.stop(); // one last flush attempt
 */
export class InfluxWriter {
  private readonly client: InfluxDB;
  private readonly log: Logger;
  private readonly wanted: Set<string>;
  private readonly created = new Set<string>();
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private notBefore = 0;
  private retryMs: number;
  private lastDropWarn = 0;
  private droppedSinceWarn = 0;
  private counts = { written: 0, dropped: 0, rejected: 0, failures: 0 };

  constructor(private readonly opts: InfluxWriterOptions) {
    const u = new URL(opts.url);
    this.client = new InfluxDB({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'https:' ? 443 : 8086)),
      protocol: u.protocol === 'https:' ? 'https' : 'http',
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      pool: { maxRetries: 0, requestTimeout: opts.requestTimeoutMs ?? 5000, backoff: NO_BACKOFF },
    });
    this.log = opts.log.child({ component: 'influx-writer', url: `${u.protocol}//${u.host}` });
    this.wanted = new Set(opts.databases ?? []);
    this.retryMs = opts.retryMinMs ?? 200;
  }

  /** Starts the flush timer and tries to create the databases now. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.opts.flushIntervalMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Queues a point; never throws, never waits. */
  write(db: string, point: InfluxPoint): void {
    this.queue.push({ db, point });
    const max = this.opts.maxQueued ?? 5000;
    if (this.queue.length > max) this.drop(this.queue.length - max);
    if (this.queue.length >= (this.opts.flushCount ?? 50)) this.kick();
  }

  /** Writes what is queued now (unless backing off after a failure); resolves when that attempt ends. */
  flush(): Promise<void> {
    this.flushing ??= this.flushOnce().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Counters, for tests and logs. */
  stats(): InfluxWriterStats {
    return { queued: this.queue.length, ...this.counts };
  }

  /** Stops the timer and makes one last attempt (bounded by the request timeout) to write what is queued. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing;
    this.notBefore = 0;
    if (this.queue.length > 0) await this.flush();
    if (this.queue.length > 0)
      this.log.warn({ lost: this.queue.length }, 'influx writer stopped with points unwritten');
  }

  private kick(): void {
    if (Date.now() < this.notBefore || this.flushing) return;
    const needsDb = [...this.wanted].some((d) => !this.created.has(d));
    if (this.queue.length > 0 || needsDb) void this.flush();
  }

  private async flushOnce(): Promise<void> {
    if (Date.now() < this.notBefore) return;
    try {
      for (const db of this.wanted) await this.ensureDb(db);
      const batch = this.queue.splice(0, this.opts.maxBatch ?? 5000);
      try {
        await this.writeBatch(batch);
      } catch (err) {
        this.requeue(batch);
        throw err;
      }
      this.retryMs = this.opts.retryMinMs ?? 200;
    } catch (err) {
      this.counts.failures++;
      this.notBefore = Date.now() + this.retryMs;
      this.log.debug(
        { err, retryMs: this.retryMs, queued: this.queue.length },
        'influx write failed; will retry',
      );
      this.retryMs = Math.min(this.opts.retryMaxMs ?? 10_000, this.retryMs * 2);
    }
  }

  /** Writes the batch database by database; entries already written are removed from `batch`. */
  private async writeBatch(batch: Queued[]): Promise<void> {
    while (batch.length > 0) {
      const db = batch[0]?.db ?? '';
      const mine = batch.filter((q) => q.db === db);
      await this.ensureDb(db);
      try {
        await this.client.writePoints(
          mine.map((q) => toIPoint(q.point)),
          { database: db, precision: 'n' },
        );
        this.counts.written += mine.length;
      } catch (err) {
        const status = statusOf(err);
        if (status === 404) this.created.delete(db);
        if (status === undefined || status === 404 || status >= 500) throw err;
        this.counts.rejected += mine.length;
        this.log.warn({ err, db, points: mine.length }, 'InfluxDB refused points; dropping them');
      }
      const rest = batch.filter((q) => q.db !== db);
      batch.length = 0;
      batch.push(...rest);
    }
  }

  private async ensureDb(db: string): Promise<void> {
    if (this.created.has(db)) return;
    await this.client.createDatabase(db);
    this.created.add(db);
    this.log.debug({ db }, 'influx database ready');
  }

  /** Puts an unwritten batch back in front, keeping the bound. */
  private requeue(batch: Queued[]): void {
    this.queue = batch.concat(this.queue);
    const max = this.opts.maxQueued ?? 5000;
    if (this.queue.length > max) this.drop(this.queue.length - max);
  }

  private drop(n: number): void {
    this.queue.splice(0, n);
    this.counts.dropped += n;
    this.droppedSinceWarn += n;
    const now = Date.now();
    if (now - this.lastDropWarn >= DROP_WARN_EVERY_MS) {
      this.log.warn(
        {
          dropped: this.droppedSinceWarn,
          droppedTotal: this.counts.dropped,
          maxQueued: this.opts.maxQueued ?? 5000,
        },
        'influx queue full (InfluxDB unreachable?); dropping oldest points',
      );
      this.lastDropWarn = now;
      this.droppedSinceWarn = 0;
    }
  }
}

/** HTTP status of an `influx` client error, if the server answered. */
function statusOf(err: unknown): number | undefined {
  const res = (err as { res?: { statusCode?: unknown } } | null)?.res;
  return typeof res?.statusCode === 'number' ? res.statusCode : undefined;
}
