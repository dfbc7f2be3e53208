import { Code, EdgeError } from '@edge/errors';
import type { Logger } from '@edge/log';
import type { IDuplexStream, IWatchRequest, IWatchResponse, WatchClient } from 'etcd3';
import { compactedError } from './errors';
import { num, prefixEnd } from './etcd-util';
import type { Watch, WatchEvent, WatchHandlers } from './kv-store';

/** Reconnect backoff and how long a watch may stay disconnected before it reports `onError`. */
export interface EtcdWatchTimings {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly giveUpAfterMs: number;
}

/**
 * One etcd watch on its own gRPC stream (not the etcd3 library's shared Watcher: we need
 * the compact revision, progress requests and our own resume revision). On a broken stream
 * it reconnects from the first revision not yet delivered, so nothing is lost or repeated;
 * compaction, cancellation by the server, or `giveUpAfterMs` without a connection end it
 * with `onError`.
 */
export class EtcdWatch implements Watch {
  private stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  private closed = false;
  private nextRev: number;
  private backoffMs: number;
  private disconnectedSince: number | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private created: ((err?: Error) => void) | undefined;

  constructor(
    private readonly client: WatchClient,
    private readonly prefix: string,
    fromRevision: number,
    private readonly handlers: WatchHandlers,
    private readonly timings: EtcdWatchTimings,
    private readonly log: Logger,
  ) {
    this.nextRev = fromRevision;
    this.backoffMs = timings.initialBackoffMs;
  }

  /** Opens the stream; resolves once etcd confirmed the watch (rejects if the first connection fails). */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.created = (err) => (err ? reject(err) : resolve());
      this.connect();
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.teardown();
    }
    return Promise.resolve();
  }

  requestProgress(): void {
    this.stream?.write({ progress_request: {} });
  }

  private connect(): void {
    this.client
      .watch()
      .then((stream) => {
        if (this.closed) {
          stream.cancel();
          return;
        }
        this.stream = stream;
        stream.on('data', (res) => this.onResponse(stream, res));
        stream.on('error', (err) => this.onBroken(stream, err));
        stream.on('end', () => this.onBroken(stream, new Error('watch stream ended')));
        stream.write({
          create_request: {
            key: Buffer.from(this.prefix),
            range_end: prefixEnd(this.prefix),
            start_revision: this.nextRev > 0 ? this.nextRev : 0,
            progress_notify: true,
            prev_kv: true,
          },
        });
      })
      .catch((err: unknown) => this.onBroken(undefined, err));
  }

  private onResponse(stream: IDuplexStream<IWatchRequest, IWatchResponse>, res: IWatchResponse): void {
    if (this.closed || stream !== this.stream) return;
    if (res.created) {
      this.backoffMs = this.timings.initialBackoffMs;
      this.disconnectedSince = undefined;
      if (this.nextRev <= 0) this.nextRev = num(res.header.revision) + 1;
      this.created?.();
      this.created = undefined;
    }
    if (res.canceled) {
      const compactRev = num(res.compact_revision);
      this.fail(
        compactRev > 0
          ? compactedError(this.nextRev)
          : new EdgeError(
              Code.UNAVAILABLE,
              `watch canceled by etcd: ${res.cancel_reason || 'no reason given'}`,
            ),
      );
      return;
    }
    if (res.events.length > 0) {
      this.deliver(res);
    } else if (!res.created) {
      // Progress notification (periodic or requested): everything up to header.revision was sent.
      const rev = num(res.header.revision);
      this.nextRev = Math.max(this.nextRev, rev + 1);
      this.call(() => this.handlers.onProgress?.(rev));
    }
  }

  /** Delivers the events of a response grouped by revision, in order. */
  private deliver(res: IWatchResponse): void {
    let batch: WatchEvent[] = [];
    let batchRev = 0;
    const flush = (): void => {
      if (batch.length === 0) return;
      const events = batch;
      const rev = batchRev;
      this.nextRev = Math.max(this.nextRev, rev + 1);
      this.call(() => this.handlers.onEvents(events, rev));
      batch = [];
    };
    for (const ev of res.events) {
      const rev = num(ev.kv.mod_revision);
      if (rev !== batchRev) flush();
      batchRev = rev;
      const isDelete = String(ev.type).toLowerCase() === 'delete';
      const prev = ev.prev_kv ? { prevValue: ev.prev_kv.value.toString() } : {};
      batch.push({
        type: isDelete ? 'delete' : 'put',
        key: ev.kv.key.toString(),
        value: isDelete ? '' : ev.kv.value.toString(),
        modRevision: rev,
        ...prev,
      });
      if (this.closed) return;
    }
    flush();
  }

  private onBroken(stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined, err: unknown): void {
    if (this.closed || (stream && stream !== this.stream)) return;
    this.teardown();
    if (this.created) {
      // Never connected: the caller of watch() gets the error.
      this.closed = true;
      this.created(EdgeError.from(err, Code.UNAVAILABLE));
      this.created = undefined;
      return;
    }
    const now = Date.now();
    this.disconnectedSince ??= now;
    if (now - this.disconnectedSince > this.timings.giveUpAfterMs) {
      this.fail(new EdgeError(Code.UNAVAILABLE, 'watch lost its connection to etcd', { cause: err }));
      return;
    }
    this.log.warn({ err, prefix: this.prefix, retryMs: this.backoffMs }, 'watch stream broken, reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed) this.connect();
    }, this.backoffMs);
    this.backoffMs = Math.min(this.timings.maxBackoffMs, this.backoffMs * 2);
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.teardown();
    if (this.created) {
      this.created(err);
      this.created = undefined;
      return;
    }
    this.call(() => this.handlers.onError?.(err));
  }

  private teardown(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const s = this.stream;
    this.stream = undefined;
    if (s) {
      s.on('error', () => undefined); // the cancel itself surfaces as a CANCELLED error
      s.cancel();
    }
  }

  private call(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.log.error({ err }, 'watch handler threw');
    }
  }
}
