/**
 * The contract between the notify engine (type-agnostic, this package) and what it
 * replicates. A parent serves a ReplicationSource (the Controller: its region cache; a
 * CRM: what it received from its own parent); each connection may narrow it with a
 * ConnectionPolicy (a CRM only gets its own cloudlet). A child applies what it receives
 * to a ReplicaSink. Objects travel as protobuf messages named by their full type name
 * (`edgeproto.AppInst`), keyed by key JSON (the registry's `keyJson`).
 */
import type { Message } from '@bufbuild/protobuf';

/** One replicated change: an object's new value, or its deletion (`obj` absent). */
export interface Change {
  /** Full proto type name, e.g. `edgeproto.AppInst`. */
  readonly type: string;
  /** The object's key JSON. */
  readonly key: string;
  /** Store revision of this change (etcd mod revision; for deletes, the delete's revision). */
  readonly rev: number;
  /** The object (undefined = deleted; a delete on the wire carries only the key). */
  readonly obj?: Message;
}

/** What a parent replicates down. */
export interface ReplicationSource {
  /** The revision every change up to which has been published. */
  revision(): number;
  /** Current objects of `types` (deletes not included), consistent at the returned revision. */
  snapshot(types: ReadonlySet<string>): { objects: Change[]; revision: number };
  /**
   * Changes after `fromRevision` (exclusive) up to now, from the bounded change log, or
   * undefined when `fromRevision` is older than the log's horizon (the child must resync).
   */
  since(fromRevision: number, types: ReadonlySet<string>): Change[] | undefined;
  /** Live changes, in revision order, all of one revision together. Returns the unsubscribe. */
  subscribe(listener: (changes: readonly Change[], revision: number) => void): () => void;
  /** Dependency order of types for sends (Flavor and App before AppInst, …): lower first. */
  order(type: string): number;
}

/** Per-connection decisions a parent makes (e.g. the CRM cloudlet filter of the original). */
export interface ConnectionPolicy {
  /** Whether this connection may receive `change` now. */
  allows(change: Change): boolean;
  /**
   * Called with every object the child sends up (before the sink sees it). May return
   * changes to send now that the policy allows more (e.g. once a CRM's CloudletInfo is
   * READY, all ClusterInsts and AppInsts of its cloudlet), and whether the initial
   * SENDALL_END may now be sent (a CRM's is deferred until then).
   */
  onReceived?(
    type: string,
    obj: Message | undefined,
    key: string,
  ): { send?: Change[]; releaseSendAllEnd?: boolean };
  /**
   * Changes to send along with an allowed one, e.g. an AppInst's App, a Cloudlet's VMPool
   * (the original's "AppInst update also enqueues its App"). The engine queues them with
   * every allowed change it sends — snapshot, replay, live or returned by `onReceived` —
   * coalesced per key and in dependency order, whether or not `allows` passes them.
   */
  related?(change: Change): Change[];
  /** Whether SENDALL_END waits for `onReceived` to release it. */
  readonly defersSendAllEnd?: boolean;
}

/** Where a node applies what it receives (from its parent, or from its children). */
export interface ReplicaSink {
  /** Apply one change. For upward info objects, `connection` identifies the sending child. */
  apply(change: Change, connection: ConnectionInfo): void | Promise<void>;
  /** A full resync from the parent is complete: delete every object of `types` not in `keep`. */
  prune?(types: ReadonlySet<string>, keep: ReadonlySet<string>): void | Promise<void>;
  /** A child's connection ended: drop or mark what it had sent up (the original's flush). */
  flush?(connection: ConnectionInfo): void | Promise<void>;
  /** One-shot messages (Metric, AutoProvCounts, …) from a child. */
  message?(type: string, msg: Message, connection: ConnectionInfo): void | Promise<void>;
}

/** Identity of one connection, as the parent sees it. */
export interface ConnectionInfo {
  /** Increasing per parent process (the original's notifyId). */
  readonly id: number;
  /** The child's node name (tag `name` of its VERSION message). */
  readonly name: string;
  /** Peer address. */
  readonly peer: string;
  /** Set by a parent's auth hook (e.g. the cloudlet whose access key signed the stream). */
  readonly identity?: string;
}
