import type { Message } from '@bufbuild/protobuf';
import { Wakeup } from './wakeup';

/** One info object to send up (`obj` undefined: deleted). */
export interface InfoSend {
  readonly type: string;
  readonly key: string;
  readonly obj: Message | undefined;
}

/** One one-shot message to send up. */
export interface MessageSend {
  readonly type: string;
  readonly msg: Message;
}

/**
 * What a child sends up, kept across reconnects. Info objects (CloudletInfo, AppInstInfo,
 * …) are coalesced per key; since the parent flushes a connection's info objects when it
 * ends, every current one is queued again on reconnect. One-shot messages (Metric, …) wait
 * in a bounded FIFO that drops the oldest when full, counting what it dropped.
 */
export class UpwardQueue {
  /** Wakes the session that sends these. */
  readonly wake = new Wakeup();
  private readonly current = new Map<string, InfoSend>();
  private readonly dirty = new Map<string, InfoSend>();
  private messages: MessageSend[] = [];
  private droppedCount = 0;

  constructor(private readonly maxMessages: number) {}

  /** Messages dropped because the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Messages waiting. */
  get queuedMessages(): number {
    return this.messages.length;
  }

  /** Sets (or with `obj` undefined, deletes) this node's info object `type`/`key`. */
  update(type: string, key: string, obj: Message | undefined): void {
    const id = `${type}\u0000${key}`;
    const send = { type, key, obj };
    if (obj) this.current.set(id, send);
    else this.current.delete(id);
    this.dirty.set(id, send);
    this.wake.notify();
  }

  /** Queues a one-shot message. */
  message(type: string, msg: Message): void {
    this.messages.push({ type, msg });
    if (this.messages.length > this.maxMessages) {
      this.messages.shift();
      this.droppedCount++;
    }
    this.wake.notify();
  }

  /** A new connection: every current info object must be sent again, and nothing else. */
  reconnected(): void {
    this.dirty.clear();
    for (const [id, send] of this.current) this.dirty.set(id, send);
    this.wake.notify();
  }

  /** True when something waits to be sent. */
  get hasWork(): boolean {
    return this.dirty.size > 0 || this.messages.length > 0;
  }

  /** Removes and returns the waiting info objects, then the waiting messages. */
  take(): { infos: InfoSend[]; messages: MessageSend[] } {
    const infos = [...this.dirty.values()];
    this.dirty.clear();
    const messages = this.messages;
    this.messages = [];
    return { infos, messages };
  }
}
