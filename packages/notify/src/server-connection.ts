import { create, type Message } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import { notify } from '@edge/proto';
import type { NotifyCodec } from './codec';
import type { Change, ConnectionInfo, ConnectionPolicy, ReplicaSink, ReplicationSource } from './contract';
import type { Hello } from './hello';
import { PendingSends } from './pending-sends';
import type { Semaphore } from './semaphore';
import { Wakeup } from './wakeup';
import {
  Action,
  NOTIFY_VERSION,
  encodeNotice,
  framed,
  marker,
  objectNotice,
  unpackNotice,
  type Notice,
  type Packer,
  type WireNotice,
} from './wire';

/** What every connection of one parent shares. */
export interface ConnectionDeps {
  readonly source: ReplicationSource;
  readonly sink: ReplicaSink | undefined;
  readonly codec: NotifyCodec;
  readonly packer: Packer;
  /** Types this parent accepts from children (the want_objs of its VERSION reply). */
  readonly accepts: ReadonlySet<string>;
  /** Of those, the one-shot message types (to `sink.message`, not `sink.apply`). */
  readonly messageTypes: ReadonlySet<string>;
  /** One-shot message types this parent sends down (`message()`), to children that want them. */
  readonly sendsMessages: ReadonlySet<string>;
  /** Types this parent sends at all; undefined: whatever the child wants. */
  readonly sends: ReadonlySet<string> | undefined;
  readonly name: string;
  readonly resyncs: Semaphore;
  readonly progressIntervalMs: number;
  readonly log: Logger;
  /** A child acknowledged a revision. */
  onAck(): void;
  /** A message of `bytes` holding `notices` notices (a batch, or 1) went out. */
  onSent(bytes: number, notices: number): void;
}

/** A child connection's state, for metrics. */
export interface ChildStatus {
  readonly connection: ConnectionInfo;
  /** The initial send was a replay of changes, not a full snapshot. */
  readonly resumed: boolean;
  /** SENDALL_END has been sent. */
  readonly synced: boolean;
  /** Highest revision the child acknowledged. */
  readonly ackedRevision: number;
  /** Revisions the child is behind the source. */
  readonly lag: number;
  readonly noticesSent: number;
  readonly bytesSent: number;
}

/**
 * One child's stream, parent side: the initial send (a replay since the child's resume
 * revision, or a snapshot under the resync bound), SENDALL_END when the policy allows,
 * then live changes coalesced per key and sent in dependency order, each batch closed by a
 * PROGRESS marker; an idle stream gets a PROGRESS marker every `progressIntervalMs` when
 * the revision moved. Every allowed change goes out with what the policy relates to it
 * (`related`: an AppInst's App). Upward notices go to the policy and the sink; the sink's
 * `flush` runs when the stream ends.
 */
export class ServerConnection {
  private readonly wanted: ReadonlySet<string>;
  private readonly pending: PendingSends;
  /** Changes the policy refused while a resumed child waits for its deferred SENDALL_END. */
  private held: PendingSends | undefined;
  private readonly wake = new Wakeup();
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private readonly log: Logger;
  /** Highest revision the source has published to this connection. */
  private seen = 0;
  /** Revision of the last SENDALL_END or PROGRESS marker sent. */
  private marked = 0;
  private released = false;
  private allEndSent = false;
  private acked = 0;
  private notices = 0;
  private bytes = 0;
  private isResumed = false;
  /** Negotiated protocol version. */
  private version = 1;
  private applying: Promise<void> = Promise.resolve();
  /** One-shot messages waiting to go down, in order. */
  private outbox: Message[] = [];

  constructor(
    private readonly deps: ConnectionDeps,
    readonly info: ConnectionInfo,
    private readonly hello: Hello,
    private readonly policy: ConnectionPolicy,
    signal: AbortSignal,
  ) {
    const wants = [...hello.wants].filter((t) => deps.sends === undefined || deps.sends.has(t));
    this.wanted = new Set(wants);
    this.pending = new PendingSends((t) => deps.source.order(t));
    this.signal = AbortSignal.any([signal, this.stop.signal]);
    this.log = deps.log.child({ notifyId: info.id, child: info.name, peer: info.peer });
  }

  /** Metrics of this connection. */
  status(): ChildStatus {
    return {
      connection: this.info,
      resumed: this.isResumed,
      synced: this.allEndSent,
      ackedRevision: this.acked,
      lag: Math.max(0, this.deps.source.revision() - this.acked),
      noticesSent: this.notices,
      bytesSent: this.bytes,
    };
  }

  /** SENDALL_END has been sent. */
  get synced(): boolean {
    return this.allEndSent;
  }

  /** Highest revision the child acknowledged. */
  get ackedRevision(): number {
    return this.acked;
  }

  /**
   * Queues a one-shot message (not a replicated change: no revision, never replayed) if this
   * child asked for its type and the parent sends it; true when queued.
   */
  message(type: string, msg: Message): boolean {
    if (!this.deps.sendsMessages.has(type) || !this.hello.wants.has(type) || this.signal.aborted)
      return false;
    this.outbox.push(msg);
    this.wake.notify();
    return true;
  }

  /** Ends the stream (server shutdown). */
  close(): void {
    this.stop.abort();
  }

  /** Serves the stream: `requests` are the child's notices after its VERSION. */
  async *run(requests: AsyncIterator<Notice>): AsyncGenerator<WireNotice> {
    const { source } = this.deps;
    const reader = this.read(requests);
    let unsubscribe: (() => void) | undefined;
    let release: (() => void) | undefined;
    try {
      const version = Math.min(NOTIFY_VERSION, this.hello.version);
      this.version = version;
      const from = this.hello.resumeRevision;
      const replay = version >= 2 && from > 0 ? source.since(from, this.wanted) : undefined;
      this.isResumed = replay !== undefined;
      if (replay) {
        if (this.policy.defersSendAllEnd) this.held = new PendingSends((t) => source.order(t));
        // Subscribing and reading the log in one tick: no change falls between them.
        unsubscribe = this.subscribe();
        this.seen = source.revision();
        for (const c of replay) this.offer(c);
      }
      this.log.info(
        { resumeRevision: from, resumed: this.isResumed, wants: this.wanted.size },
        'notify child connected',
      );
      yield this.out(this.versionReply(version));
      if (!replay) {
        release = await this.deps.resyncs.acquire(this.signal);
        unsubscribe = this.subscribe();
        const snap = source.snapshot(this.wanted);
        this.seen = snap.revision;
        for (const c of snap.objects) this.offer(c);
      }
      yield* this.sendLoop(() => {
        release?.();
        release = undefined;
      });
    } catch (err) {
      if (!this.signal.aborted) throw err;
    } finally {
      unsubscribe?.();
      release?.();
      this.stop.abort();
      reader.catch(() => {});
      await this.applying;
      await this.flush();
    }
  }

  /** Sends pending batches, SENDALL_END and PROGRESS markers until the stream ends. */
  private async *sendLoop(initialDone: () => void): AsyncGenerator<WireNotice> {
    let first = true;
    while (!this.signal.aborted) {
      if (this.outbox.length > 0) yield* this.send(this.outbox.splice(0).map((m) => this.messageNotice(m)));
      if (this.pending.size > 0) {
        const covered = this.seen;
        const notices = this.pending.take().map((c) => this.changeNotice(c));
        if (this.allEndSent && covered > this.marked) notices.push(this.mark(Action.PROGRESS, covered));
        yield* this.send(notices);
      }
      if (first) {
        first = false;
        initialDone();
      }
      if (this.pending.size > 0) continue;
      if (!this.allEndSent && (!this.policy.defersSendAllEnd || this.released)) {
        this.allEndSent = true;
        this.held = undefined;
        yield this.out(this.mark(Action.SENDALL_END, this.seen));
        this.log.debug({ revision: this.seen, notices: this.notices }, 'notify child synced');
        continue;
      }
      const woken = await this.wake.wait(this.signal, this.progressInterval());
      if (!woken && this.allEndSent && this.seen > this.marked && this.pending.size === 0) {
        yield this.out(this.mark(Action.PROGRESS, this.seen));
      }
    }
  }

  private progressInterval(): number | undefined {
    return this.allEndSent ? this.deps.progressIntervalMs : undefined;
  }

  private subscribe(): () => void {
    return this.deps.source.subscribe((changes, revision) => {
      for (const c of changes) this.offer(c);
      this.seen = Math.max(this.seen, revision);
      if (this.pending.size > 0) this.wake.notify();
    });
  }

  /** Queues a change from the source if the child wants it and the policy allows it. */
  private offer(c: Change): void {
    if (!this.wanted.has(c.type)) return;
    if (this.policy.allows(c)) this.put(c);
    else this.held?.put(c);
  }

  /** Queues an allowed change and what the policy sends along with it (coalesced, sorted at take). */
  private put(c: Change): void {
    for (const r of this.policy.related?.(c) ?? []) if (this.wanted.has(r.type)) this.pending.put(r);
    this.pending.put(c);
  }

  private versionReply(version: number): WireNotice {
    return encodeNotice(
      create(notify.NoticeSchema, {
        action: Action.VERSION,
        version,
        wantObjs: [...this.deps.accepts],
        tags: { name: this.deps.name },
        resumed: this.isResumed,
        modRev: BigInt(this.deps.source.revision()),
      }),
    );
  }

  private changeNotice(c: Change): WireNotice {
    const { packer, codec } = this.deps;
    return packer.notice(c, () => codec.keyOnly(c.type, c.key));
  }

  private messageNotice(m: Message): WireNotice {
    return encodeNotice(objectNotice(Action.UPDATE, this.deps.packer.pack(m), 0));
  }

  private mark(action: notify.NoticeAction, rev: number): WireNotice {
    this.marked = Math.max(this.marked, rev);
    return encodeNotice(marker(action, rev));
  }

  private out(n: WireNotice): WireNotice {
    this.notices++;
    this.bytes += n.length;
    this.deps.onSent(n.length, 1);
    return n;
  }

  /** `notices` in order, batched when the child speaks protocol 3 (counted one by one). */
  private *send(notices: readonly WireNotice[]): Generator<WireNotice> {
    for (const f of framed(notices, this.version)) {
      this.notices += f.count;
      this.bytes += f.bytes.length;
      this.deps.onSent(f.bytes.length, f.count);
      yield f.bytes;
    }
  }

  /** Reads the child's notices until the stream ends, then ends the send side too. */
  private async read(requests: AsyncIterator<Notice>): Promise<void> {
    try {
      for (;;) {
        const r = await requests.next();
        if (r.done || this.signal.aborted) break;
        this.applying = this.receive(r.value);
        await this.applying;
      }
    } catch (err) {
      if (!this.signal.aborted) this.log.debug({ err }, 'notify child stream failed');
    } finally {
      this.stop.abort();
    }
  }

  private async receive(n: Notice): Promise<void> {
    for (const b of n.batch) await this.receive(b);
    if (n.action === Action.ACK) {
      this.acked = Math.max(this.acked, Number(n.ackRev));
      this.deps.onAck();
      return;
    }
    if (n.action !== Action.UPDATE && n.action !== Action.DELETE) return;
    const { codec, sink, accepts, messageTypes } = this.deps;
    const got = unpackNotice(n, codec.registry);
    if (!got || !accepts.has(got.type)) {
      this.log.warn({ typeUrl: n.any?.typeUrl }, 'notify: child sent a type this parent does not accept');
      return;
    }
    const { type, obj } = got;
    try {
      if (messageTypes.has(type)) {
        if (n.action === Action.UPDATE) await sink?.message?.(type, obj, this.info);
        return;
      }
      const key = codec.keyJson(type, obj);
      const value: Message | undefined = n.action === Action.UPDATE ? obj : undefined;
      this.onReceived(type, value, key);
      const change: Change = value
        ? { type, key, rev: Number(n.modRev), obj: value }
        : { type, key, rev: Number(n.modRev) };
      await sink?.apply(change, this.info);
    } catch (err) {
      this.log.error({ err, type }, 'notify: applying a child notice failed');
    }
  }

  /** Lets the policy react to what the child sent: more to send, SENDALL_END released. */
  private onReceived(type: string, obj: Message | undefined, key: string): void {
    const verdict = this.policy.onReceived?.(type, obj, key);
    if (!verdict) return;
    for (const c of verdict.send ?? []) if (this.wanted.has(c.type)) this.put(c);
    if (verdict.releaseSendAllEnd) this.released = true;
    if (this.held) for (const c of this.held.take()) this.offer(c);
    this.wake.notify();
  }

  private async flush(): Promise<void> {
    try {
      await this.deps.sink?.flush?.(this.info);
    } catch (err) {
      this.log.error({ err }, 'notify: flushing a child connection failed');
    }
    this.log.info(
      { notices: this.notices, bytes: this.bytes, acked: this.acked },
      'notify child disconnected',
    );
  }
}
