import type { Message } from '@bufbuild/protobuf';
import { silentLogger, type Logger } from '@edge/log';
import { notify } from '@edge/proto';
import { createClient, type ClientOptions } from '@edge/rpc';
import { Backoff, sleep, type BackoffOptions } from './backoff';
import type { NotifyCodec } from './codec';
import type { ReplicaSink } from './contract';
import { ClientSession, type ReceivedCounts } from './client-session';
import { UpwardQueue } from './upward-queue';
import { Packer } from './wire';

/** How a child connects to its parents. */
export interface NotifyClientOptions extends NotifyCodec {
  /** Parent addresses (`host:port`), tried round-robin from a random one. */
  addresses: readonly string[];
  /** This node's name (tag `name` of its VERSION). */
  name: string;
  /** Types to receive from the parent. */
  wants: Iterable<string>;
  /** One-shot message types to receive from the parent (e.g. `edgeproto.AppInstLatency`), to `sink.message`. */
  messageTypes?: Iterable<string>;
  /** Where received changes go (prune after a full resync). */
  sink: ReplicaSink;
  /** Ask for this cloudlet's objects only (a CRM). */
  filterCloudletKey?: boolean;
  /** Extra VERSION tags. */
  tags?: Record<string, string>;
  /** Revision already applied (e.g. persisted by a previous run); default 0: full send. */
  initialRevision?: number;
  /** Reconnect delays; default 250 ms doubling to 10 s, jittered. */
  backoff?: BackoffOptions;
  /** ACKs wait this long to cover several markers; default 50 ms. */
  ackDelayMs?: number;
  /** One-shot messages kept while they cannot be sent; default 1000 (oldest dropped). */
  maxQueuedMessages?: number;
  /** Channel credentials (mutual TLS), interceptors, channel options. */
  rpc?: ClientOptions;
  /** Request metadata of each stream (e.g. a signed cloudlet access key), made per connect. */
  metadata?: () => Record<string, string>;
  /** Random source for the start address and jitter; default Math.random. */
  random?: () => number;
  log?: Logger;
}

/** A child's figures. */
export interface NotifyClientStats {
  /** A parent answered VERSION and the stream is up. */
  readonly connected: boolean;
  /** Parent address of the current (or last) stream. */
  readonly address: string | undefined;
  /** Connection attempts / sessions that negotiated. */
  readonly attempts: number;
  readonly sessions: number;
  readonly received: Readonly<ReceivedCounts>;
  /** One-shot messages dropped because the queue was full. */
  readonly messagesDropped: number;
  readonly revision: number;
}

/**
 * The child side of the notify tree. Dials its parents with jittered exponential backoff,
 * resumes from the last revision it applied, applies what arrives to the sink in order
 * (pruning after a full resync), acknowledges what it applied, and sends its own info
 * objects (all again after every reconnect) and one-shot messages up.
 *
 * @example
 *   const client = new NotifyClient({ ...codec, addresses: ['ctrl:50001'], name: 'dme-1',
 *     wants: ['edgeproto.App', 'edgeproto.AppInst'], sink: cache });
 *   client.start();
 *   await client.waitSynced();
 *   client.update('edgeproto.Node', key, node);
 *   …
 *   await client.stop();
 */
export class NotifyClient {
  private readonly upward: UpwardQueue;
  private readonly backoff: Backoff;
  private readonly packer: Packer;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly received: ReceivedCounts = { updates: 0, deletes: 0, progress: 0, sendAllEnd: 0 };
  private rev: number;
  private stopper: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private synced = false;
  private syncedWaiter = deferred();
  private session: ClientSession | undefined;
  private address: string | undefined;
  private attempts = 0;
  private sessions = 0;

  constructor(private readonly options: NotifyClientOptions) {
    if (options.addresses.length === 0) throw new TypeError('notify client: no parent addresses');
    this.upward = new UpwardQueue(options.maxQueuedMessages ?? 1000);
    this.random = options.random ?? Math.random;
    this.backoff = new Backoff({ random: this.random, ...options.backoff });
    this.packer = new Packer(options.registry);
    this.log = (options.log ?? silentLogger()).child({ component: 'notify-client', node: options.name });
    this.rev = options.initialRevision ?? 0;
  }

  /** The last revision applied: the resume point sent on reconnect. */
  get revision(): number {
    return this.rev;
  }

  /** Starts connecting (idempotent). */
  start(): void {
    if (this.stopper) return;
    this.stopper = new AbortController();
    this.loop = this.run(this.stopper.signal);
  }

  /** Disconnects and stops retrying; resolves when the stream is gone. */
  async stop(): Promise<void> {
    this.stopper?.abort();
    await this.loop;
    this.stopper = undefined;
    this.loop = undefined;
  }

  /** Resolves when the current session has received SENDALL_END. */
  waitSynced(): Promise<void> {
    return this.syncedWaiter.promise;
  }

  /** Sets this node's info object (`obj` undefined: deletes it); sent up coalesced per key. */
  update(type: string, key: string, obj: Message | undefined): void {
    this.upward.update(type, key, obj);
  }

  /** Queues a one-shot message up (dropped oldest-first beyond the bound). */
  message(type: string, msg: Message): void {
    this.upward.message(type, msg);
  }

  /** Counters and state. */
  stats(): NotifyClientStats {
    return {
      connected: this.session?.negotiated ?? false,
      address: this.address,
      attempts: this.attempts,
      sessions: this.sessions,
      received: { ...this.received },
      messagesDropped: this.upward.dropped,
      revision: this.rev,
    };
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { addresses } = this.options;
    let next = Math.floor(this.random() * addresses.length);
    while (!signal.aborted) {
      const address = addresses[next++ % addresses.length] as string;
      const negotiated = await this.connect(address, signal);
      if (negotiated) this.backoff.reset();
      if (signal.aborted) break;
      const delay = this.backoff.next();
      this.log.debug({ address, delayMs: delay }, 'notify: reconnecting');
      await sleep(delay, signal);
    }
  }

  /** One stream to `address`; true if the parent answered VERSION. */
  private async connect(address: string, stop: AbortSignal): Promise<boolean> {
    const o = this.options;
    this.attempts++;
    this.address = address;
    const end = new AbortController();
    const signal = AbortSignal.any([stop, end.signal]);
    const session = new ClientSession(
      {
        codec: o,
        packer: this.packer,
        sink: o.sink,
        log: this.log,
        wants: new Set(o.wants),
        messageTypes: new Set(o.messageTypes ?? []),
        name: o.name,
        filterCloudletKey: o.filterCloudletKey ?? false,
        tags: o.tags ?? {},
        upward: this.upward,
        ackDelayMs: o.ackDelayMs ?? 50,
        received: this.received,
        revision: () => this.rev,
        commit: (rev) => (this.rev = Math.max(this.rev, rev)),
        onSynced: () => {
          this.synced = true;
          this.syncedWaiter.resolve();
        },
      },
      this.attempts,
      address,
    );
    this.session = session;
    const rpc = createClient(notify.NotifyApi, address, o.rpc);
    try {
      const metadata = o.metadata?.();
      const responses = rpc.streamNotice(session.requests(signal), {
        signal,
        ...(metadata ? { metadata } : {}),
      });
      for await (const n of responses) {
        if (n.action === notify.NoticeAction.VERSION) this.sessions++;
        await session.receive(n);
      }
    } catch (err) {
      if (!stop.aborted) this.log.info({ err, address }, 'notify: parent stream ended');
    } finally {
      end.abort();
      session.close();
      this.session = undefined;
      rpc.close();
      if (this.synced) {
        this.synced = false;
        this.syncedWaiter = deferred();
      }
    }
    return session.negotiated;
  }
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
