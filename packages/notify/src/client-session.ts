import { create, type Message } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import { notify } from '@edge/proto';
import type { NotifyCodec } from './codec';
import type { Change, ConnectionInfo, ReplicaSink } from './contract';
import { preEncoded } from '@edge/rpc';
import type { UpwardQueue } from './upward-queue';
import {
  Action,
  NOTIFY_VERSION,
  encodeNotice,
  framed,
  objectNotice,
  unpackNotice,
  type Notice,
  type Packer,
} from './wire';

/** Notices a child received, by action (cumulative over its sessions). */
export interface ReceivedCounts {
  updates: number;
  deletes: number;
  progress: number;
  sendAllEnd: number;
}

/** What the sessions of one child share. */
export interface SessionDeps {
  readonly codec: NotifyCodec;
  readonly packer: Packer;
  readonly sink: ReplicaSink;
  readonly log: Logger;
  readonly wants: ReadonlySet<string>;
  /** One-shot message types asked of the parent (to `sink.message`; never pruned). */
  readonly messageTypes: ReadonlySet<string>;
  readonly name: string;
  readonly filterCloudletKey: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly upward: UpwardQueue;
  readonly ackDelayMs: number;
  readonly received: ReceivedCounts;
  /** The revision applied so far (the resume point). */
  revision(): number;
  /** Everything up to `rev` is applied. */
  commit(rev: number): void;
  /** The first SENDALL_END of this session arrived (and the prune, if any, is done). */
  onSynced(): void;
}

/**
 * One connection of a child to a parent: builds the stream of what the child sends
 * (VERSION, its info objects and messages, ACKs) and applies what the parent sends.
 *
 * The resume point only moves at SENDALL_END and PROGRESS markers, never at single
 * objects: a batch goes out in dependency order, not revision order, so an object's
 * mod_rev does not mean that everything before it has arrived. Markers before SENDALL_END
 * do not count either: until then the session may still have to prune, or the parent may
 * be holding back what its policy does not allow yet.
 */
export class ClientSession {
  /** The parent, once its VERSION reply arrived. */
  parent: ConnectionInfo | undefined;
  private parentWants: ReadonlySet<string> | undefined;
  private resumed = false;
  /** Negotiated protocol version. */
  private version = 1;
  private synced = false;
  private pendingMark = 0;
  private readonly keep = new Map<string, Set<string>>();
  private ackDue = false;
  private ackTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: SessionDeps,
    private readonly id: number,
    private readonly address: string,
  ) {}

  /** True once the parent answered VERSION. */
  get negotiated(): boolean {
    return this.parent !== undefined;
  }

  /** What the child sends, until `signal` aborts. */
  async *requests(signal: AbortSignal): AsyncGenerator<Notice> {
    const { deps } = this;
    yield create(notify.NoticeSchema, {
      action: Action.VERSION,
      version: NOTIFY_VERSION,
      wantObjs: [...deps.wants, ...deps.messageTypes],
      filterCloudletKey: deps.filterCloudletKey,
      tags: { ...deps.tags, name: deps.name },
      resumeRev: BigInt(deps.revision()),
    });
    while (!signal.aborted) {
      let sent = false;
      if (this.ackDue) {
        this.ackDue = false;
        sent = true;
        yield create(notify.NoticeSchema, { action: Action.ACK, ackRev: BigInt(deps.revision()) });
      }
      if (this.parentWants && deps.upward.hasWork) {
        sent = true;
        const notices = [...this.upward(this.parentWants)].map(encodeNotice);
        for (const f of framed(notices, this.version)) yield preEncoded<Notice>(f.bytes);
      }
      if (!sent) await deps.upward.wake.wait(signal);
    }
  }

  private *upward(wants: ReadonlySet<string>): Generator<Notice> {
    const { infos, messages } = this.deps.upward.take();
    const { packer, codec } = this.deps;
    for (const i of infos) {
      if (!wants.has(i.type)) continue;
      yield i.obj
        ? objectNotice(Action.UPDATE, packer.pack(i.obj), 0)
        : objectNotice(Action.DELETE, packer.pack(codec.keyOnly(i.type, i.key)), 0);
    }
    for (const m of messages) {
      if (wants.has(m.type)) yield objectNotice(Action.UPDATE, packer.pack(m.msg), 0);
    }
  }

  /**
   * Applies one notice (or batch) from the parent, in order. Synchronous sinks are applied
   * without a microtask per notice; a promise is awaited before the next notice.
   */
  async receive(n: Notice): Promise<void> {
    for (const b of n.batch) {
      const pending = this.receiveOne(b);
      if (pending) await pending;
    }
    await this.receiveOne(n);
  }

  private receiveOne(n: Notice): void | Promise<void> {
    switch (n.action) {
      case Action.VERSION:
        return this.negotiate(n);
      case Action.UPDATE:
      case Action.DELETE:
        return this.apply(n);
      case Action.PROGRESS:
        this.deps.received.progress++;
        return this.mark(Number(n.modRev));
      case Action.SENDALL_END:
        return this.sendAllEnd(Number(n.modRev));
      default:
        return;
    }
  }

  /** Stops the ACK timer. */
  close(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
  }

  private negotiate(n: Notice): void {
    const version = Math.min(NOTIFY_VERSION, n.version);
    this.version = version;
    this.parent = { id: this.id, name: n.tags['name'] ?? '', peer: this.address };
    this.parentWants = new Set(n.wantObjs);
    this.resumed = version >= 2 && n.resumed;
    this.deps.log.info(
      { parent: this.parent.name, address: this.address, resumed: this.resumed, from: this.deps.revision() },
      'notify connected to parent',
    );
    this.deps.upward.reconnected();
  }

  private apply(n: Notice): void | Promise<void> {
    const { codec, sink, wants, messageTypes, received, log } = this.deps;
    const got = unpackNotice(n, codec.registry);
    if (!got || !(wants.has(got.type) || messageTypes.has(got.type)) || !this.parent) {
      log.warn({ typeUrl: n.any?.typeUrl }, 'notify: parent sent an unwanted or unknown type');
      return;
    }
    const { type, obj } = got;
    if (messageTypes.has(type)) return this.message(type, obj, n.action);
    const key = codec.keyJson(type, obj);
    const rev = Number(n.modRev);
    const value: Message | undefined = n.action === Action.UPDATE ? obj : undefined;
    if (value) received.updates++;
    else received.deletes++;
    if (!this.synced) {
      let keys = this.keep.get(type);
      if (!keys) this.keep.set(type, (keys = new Set()));
      if (value) keys.add(key);
      else keys.delete(key);
    }
    const change: Change = value ? { type, key, rev, obj: value } : { type, key, rev };
    const failed = (err: unknown): void => log.error({ err, type, key }, 'notify: applying a change failed');
    try {
      return sink.apply(change, this.parent)?.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  /** A one-shot message from the parent: to `sink.message`, outside the replicated state. */
  private message(type: string, msg: Message, action: notify.NoticeAction): void | Promise<void> {
    const { sink, log } = this.deps;
    if (action !== Action.UPDATE || !sink.message || !this.parent) return;
    const failed = (err: unknown): void => log.error({ err, type }, 'notify: handling a message failed');
    try {
      return sink.message(type, msg, this.parent)?.catch(failed);
    } catch (err) {
      failed(err);
    }
  }

  private mark(rev: number): void {
    if (!this.synced) {
      this.pendingMark = Math.max(this.pendingMark, rev);
      return;
    }
    if (rev <= this.deps.revision()) return;
    this.deps.commit(rev);
    if (this.ackTimer === undefined) {
      this.ackTimer = setTimeout(() => {
        this.ackTimer = undefined;
        this.ackDue = true;
        this.deps.upward.wake.notify();
      }, this.deps.ackDelayMs);
    }
  }

  private async sendAllEnd(rev: number): Promise<void> {
    const { deps } = this;
    deps.received.sendAllEnd++;
    if (this.synced) return;
    if (!this.resumed) await this.prune();
    this.synced = true;
    this.keep.clear();
    deps.commit(Math.max(rev, this.pendingMark));
    this.ackDue = true;
    deps.upward.wake.notify();
    deps.onSynced();
  }

  /** Mark-and-sweep after a full send: every wanted type loses what was not resent. */
  private async prune(): Promise<void> {
    const { sink, wants, log } = this.deps;
    if (!sink.prune) return;
    for (const type of wants) {
      try {
        await sink.prune(new Set([type]), this.keep.get(type) ?? new Set());
      } catch (err) {
        log.error({ err, type }, 'notify: prune failed');
      }
    }
  }
}
