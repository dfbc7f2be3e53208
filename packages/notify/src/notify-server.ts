import type { Message } from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';
import { Code, EdgeError } from '@edge/errors';
import { silentLogger, type Logger } from '@edge/log';
import { notify } from '@edge/proto';
import { addService, preEncoded, type HandlerContext, type ServeOptions } from '@edge/rpc';
import type { NotifyCodec } from './codec';
import type { ReplicaSink, ReplicationSource } from './contract';
import { Convergence, type ConvergenceSummary } from './convergence';
import { allowAll, helloOf, type PolicyFactory } from './hello';
import { Semaphore } from './semaphore';
import { ServerConnection, type ChildStatus, type ConnectionDeps } from './server-connection';
import { Action, Packer, type Notice } from './wire';

/** How a parent serves its children. */
export interface NotifyServerOptions extends NotifyCodec {
  /** What is replicated down. */
  source: ReplicationSource;
  /** Where info objects and messages from children go; default: dropped. */
  sink?: ReplicaSink;
  /** Per-connection policy (e.g. the CRM cloudlet filter); default: everything, no deferral. */
  policy?: PolicyFactory;
  /** Types accepted from children (info objects and messages), sent as this side's want_objs. */
  accepts?: Iterable<string>;
  /** Which of `accepts` are one-shot messages (`sink.message`) rather than info objects. */
  messageTypes?: Iterable<string>;
  /** Types this parent sends at all; default: whatever a child wants. */
  sends?: Iterable<string>;
  /** One-shot message types this parent sends down with `message()` (e.g. `edgeproto.AppInstLatency`). */
  sendsMessages?: Iterable<string>;
  /** This node's name, sent in the VERSION reply. */
  name?: string;
  /** Full resyncs (snapshots) running at once; the rest wait their turn. Default 16. */
  maxConcurrentResyncs?: number;
  /** PROGRESS marker period on idle streams whose revision moved. Default 2000 ms. */
  progressIntervalMs?: number;
  /**
   * Id of the first connection (`ConnectionInfo.id`); later ones count up. Default 1. A
   * parent whose children's info objects outlive it (stamped with the id in a shared
   * store) starts each run at a different offset, so a stale stamp never matches.
   */
  firstConnectionId?: number;
  /** The identity of a stream's caller (e.g. its certificate's cloudlet), as `ConnectionInfo.identity`. */
  identify?: (ctx: HandlerContext) => string | undefined;
  log?: Logger;
}

/** A parent's figures; plain values, read them as often as needed. */
export interface NotifyServerStats {
  /** Children connected now. */
  readonly connected: number;
  /** Of those, the ones past SENDALL_END. */
  readonly synced: number;
  /** Full resyncs running / waiting for their turn. */
  readonly resyncsRunning: number;
  readonly resyncsWaiting: number;
  /** Totals since start, over every connection. */
  readonly noticesSent: number;
  readonly bytesSent: number;
  /** Source revision now. */
  readonly revision: number;
  /** Commit → acknowledged by every synced child. */
  readonly convergence: ConvergenceSummary;
}

/**
 * The parent side of the notify tree: serves `NotifyApi.StreamNotice` for a
 * ReplicationSource. Each child stream negotiates (VERSION both ways), gets a replay since
 * its resume revision when the change log still holds it, otherwise a full snapshot under
 * a bound on concurrent resyncs, then SENDALL_END and live changes. What children send up
 * goes to the sink, tagged with their connection, and is flushed when the stream ends.
 *
 * @example
 *   const notifyServer = new NotifyServer({ ...codec, source, sink, accepts: ['edgeproto.CloudletInfo'] });
 *   notifyServer.register(grpcServer, { log });
 *   …
 *   await notifyServer.close();
 */
export class NotifyServer {
  private readonly connections = new Map<number, ServerConnection>();
  private readonly running = new Set<Promise<void>>();
  private readonly deps: ConnectionDeps;
  private readonly policy: PolicyFactory;
  private readonly convergence = new Convergence();
  private readonly closing = new AbortController();
  private readonly unsubscribe: () => void;
  private nextId: number;
  private noticesSent = 0;
  private bytesSent = 0;

  constructor(private readonly options: NotifyServerOptions) {
    const log = (options.log ?? silentLogger()).child({ component: 'notify-server' });
    const accepts = new Set(options.accepts ?? []);
    const messageTypes = new Set(options.messageTypes ?? []);
    for (const t of messageTypes) accepts.add(t);
    this.policy = options.policy ?? allowAll;
    this.nextId = (options.firstConnectionId ?? 1) - 1;
    this.deps = {
      source: options.source,
      sink: options.sink,
      codec: options,
      packer: new Packer(options.registry),
      accepts,
      messageTypes,
      sendsMessages: new Set(options.sendsMessages ?? []),
      sends: options.sends ? new Set(options.sends) : undefined,
      name: options.name ?? '',
      resyncs: new Semaphore(options.maxConcurrentResyncs ?? 16),
      progressIntervalMs: options.progressIntervalMs ?? 2000,
      log,
      onAck: () => this.settle(),
      onSent: (bytes, notices) => {
        this.noticesSent += notices;
        this.bytesSent += bytes;
      },
    };
    this.unsubscribe = options.source.subscribe((_changes, revision) => {
      this.convergence.published(revision, Date.now());
      if (this.connections.size === 0) this.convergence.settle(undefined, Date.now());
    });
  }

  /** Adds the NotifyApi service to `server` (before it listens). */
  register(server: grpc.Server, serve: ServeOptions = {}): void {
    addService(server, notify.NotifyApi, { streamNotice: (reqs, ctx) => this.serve(reqs, ctx) }, serve);
  }

  /** Children connected now. */
  get connected(): number {
    return this.connections.size;
  }

  /**
   * Sends a one-shot message down to every connected child that asked for its type (one of
   * `sendsMessages`). Not replicated: a child connecting later never sees it. Returns the
   * number of children it was queued for.
   */
  message(type: string, msg: Message): number {
    let n = 0;
    for (const c of this.connections.values()) if (c.message(type, msg)) n++;
    return n;
  }

  /** Per-child figures (lag in revisions, acked revision, notices and bytes sent). */
  children(): ChildStatus[] {
    return [...this.connections.values()].map((c) => c.status());
  }

  /** Totals and the convergence summary. */
  stats(): NotifyServerStats {
    const children = this.children();
    return {
      connected: children.length,
      synced: children.filter((c) => c.synced).length,
      resyncsRunning: this.deps.resyncs.inUse,
      resyncsWaiting: this.deps.resyncs.waiting,
      noticesSent: this.noticesSent,
      bytesSent: this.bytesSent,
      revision: this.options.source.revision(),
      convergence: this.convergence.summary(),
    };
  }

  /** Ends every child stream (each flushed) and stops following the source. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const c of this.connections.values()) c.close();
    await Promise.allSettled([...this.running]);
    this.unsubscribe();
  }

  private async *serve(reqs: AsyncIterable<Notice>, ctx: HandlerContext): AsyncGenerator<Notice> {
    if (this.closing.signal.aborted) throw new EdgeError(Code.UNAVAILABLE, 'Notify server is closing');
    const it = reqs[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) return;
    if (first.value.action !== Action.VERSION) {
      throw new EdgeError(Code.INVALID_ARGUMENT, 'Notify server expected action version');
    }
    const hello = helloOf(first.value);
    const identity = this.options.identify?.(ctx);
    const info = {
      id: ++this.nextId,
      name: hello.name,
      peer: ctx.peer,
      ...(identity === undefined ? {} : { identity }),
    };
    const signal = AbortSignal.any([ctx.signal, this.closing.signal]);
    const conn = new ServerConnection(this.deps, info, hello, this.policy(info, hello), signal);
    let done = (): void => {};
    const running = new Promise<void>((resolve) => (done = resolve));
    this.running.add(running);
    this.connections.set(info.id, conn);
    try {
      for await (const bytes of conn.run(it)) yield preEncoded<Notice>(bytes);
    } finally {
      this.connections.delete(info.id);
      this.running.delete(running);
      done();
      this.settle();
    }
  }

  /** Revisions every synced child has acked are converged. */
  private settle(): void {
    let min: number | undefined;
    for (const c of this.connections.values()) {
      if (c.synced) min = min === undefined ? c.ackedRevision : Math.min(min, c.ackedRevision);
    }
    this.convergence.settle(min, Date.now());
  }
}
