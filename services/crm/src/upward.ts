import type { Message } from '@bufbuild/protobuf';

/** Where the CRM sends its own info objects and messages: its NotifyClient to the Controller. */
export interface Upward {
  /** Sets (or with undefined deletes) an info object; sent coalesced per key, again after reconnects. */
  update(type: string, key: string, obj: Message | undefined): void;
  /** Queues a one-shot message (Metric). */
  message(type: string, msg: Message): void;
}
