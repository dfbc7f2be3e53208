import type { Logger } from '@edge/log';
import type { Queryable } from '../db/db';
import type { AuditRow } from './audit-record';

/** Tuning of {@link AuditWriter}. */
export interface AuditWriterOptions {
  readonly db: Queryable;
  readonly log: Logger;
  /** Rows waiting beyond this are dropped (counted, logged); default 10,000. */
  readonly maxQueued?: number;
  /** Rows per INSERT; default 500. */
  readonly batchSize?: number;
  /** A partial batch waits at most this long; default 200 ms. */
  readonly flushMs?: number;
}

/** Figures of the writer. */
export interface AuditWriterStats {
  readonly queued: number;
  readonly written: number;
  readonly dropped: number;
  readonly failed: number;
}

const INSERT = `
INSERT INTO audit_log (at, name, username, org, region, status, duration_ms, remote_ip, trace_id, request, error, tags)
SELECT at, name, username, org, region, status, duration_ms, remote_ip, trace_id, request, error, tags
FROM jsonb_to_recordset($1::jsonb) AS r(
  at timestamptz, name text, username text, org text, region text, status integer,
  duration_ms double precision, remote_ip text, trace_id text, request jsonb, error text, tags jsonb)`;

/**
 * Writes audit rows to `audit_log` off the request path: `add` only queues (never blocks,
 * never throws); a background loop inserts batches (one statement per batch). When the
 * database falls behind, the queue is bounded and new rows are dropped, counted and logged
 * (at most one warning per batch); a failed batch is logged and dropped, not retried.
 */
export class AuditWriter {
  private readonly queue: AuditRow[] = [];
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private readonly flushMs: number;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private written = 0;
  private dropped = 0;
  private droppedUnlogged = 0;
  private failed = 0;

  constructor(private readonly opts: AuditWriterOptions) {
    this.maxQueued = opts.maxQueued ?? 10_000;
    this.batchSize = opts.batchSize ?? 500;
    this.flushMs = opts.flushMs ?? 200;
  }

  /** Queues a row. */
  add(row: AuditRow): void {
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
      this.droppedUnlogged++;
      return;
    }
    this.queue.push(row);
    if (this.queue.length >= this.batchSize) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.flushMs);
  }

  /** Writes everything queued now; resolves when it is in the database (or failed). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.writing) {
      this.kick();
      await this.writing;
    }
  }

  stats(): AuditWriterStats {
    return { queued: this.queue.length, written: this.written, dropped: this.dropped, failed: this.failed };
  }

  /** Writes what is queued, then stops. */
  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0) this.timer ??= setTimeout(() => this.kick(), 0);
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.droppedUnlogged > 0) {
        this.opts.log.warn(
          { dropped: this.droppedUnlogged, total: this.dropped },
          'audit queue full, records dropped',
        );
        this.droppedUnlogged = 0;
      }
      const batch = this.queue.splice(0, this.batchSize);
      try {
        await this.opts.db.query(INSERT, [JSON.stringify(batch)]);
        this.written += batch.length;
      } catch (err) {
        this.failed += batch.length;
        this.opts.log.warn({ err, rows: batch.length }, 'audit batch write failed, records dropped');
      }
    }
  }
}
