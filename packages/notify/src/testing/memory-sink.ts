import type { Message } from '@bufbuild/protobuf';
import type { Change, ConnectionInfo, ReplicaSink } from '../contract';

/** One object as a MemorySink holds it. */
export interface Held {
  readonly obj: Message;
  readonly rev: number;
  /** The connection it came from. */
  readonly connection: ConnectionInfo;
}

/**
 * An in-memory ReplicaSink: the objects it holds by type and key, plus a record of every
 * call, for tests. `flush` removes what the ended connection had sent (the original's
 * CleanupFlush); `prune` removes what a full resync did not resend (CleanupPrune).
 */
export class MemorySink implements ReplicaSink {
  /** type → key → object. */
  readonly objects = new Map<string, Map<string, Held>>();
  /** Every change applied, in order. */
  readonly applied: Change[] = [];
  /** Every message received, in order. */
  readonly messages: { type: string; msg: Message; connection: ConnectionInfo }[] = [];
  /** Connections flushed. */
  readonly flushed: ConnectionInfo[] = [];
  /** Keys removed by prune, as `type/key`. */
  readonly pruned: string[] = [];

  /** `history: false` keeps only the objects, not `applied` (benchmarks: no growing record). */
  constructor(private readonly options: { readonly history?: boolean } = {}) {}

  apply(change: Change, connection: ConnectionInfo): void {
    if (this.options.history !== false) this.applied.push(change);
    let byKey = this.objects.get(change.type);
    if (!byKey) this.objects.set(change.type, (byKey = new Map()));
    if (change.obj) byKey.set(change.key, { obj: change.obj, rev: change.rev, connection });
    else byKey.delete(change.key);
  }

  prune(types: ReadonlySet<string>, keep: ReadonlySet<string>): void {
    for (const t of types) {
      const byKey = this.objects.get(t);
      if (!byKey) continue;
      for (const key of [...byKey.keys()]) {
        if (keep.has(key)) continue;
        byKey.delete(key);
        this.pruned.push(`${t}/${key}`);
      }
    }
  }

  flush(connection: ConnectionInfo): void {
    this.flushed.push(connection);
    for (const byKey of this.objects.values()) {
      for (const [key, held] of byKey) if (held.connection.id === connection.id) byKey.delete(key);
    }
  }

  message(type: string, msg: Message, connection: ConnectionInfo): void {
    this.messages.push({ type, msg, connection });
  }

  /** The object `type`/`key`, if held. */
  get(type: string, key: string): Message | undefined {
    return this.objects.get(type)?.get(key)?.obj;
  }

  /** Keys held of `type`, sorted. */
  keys(type: string): string[] {
    return [...(this.objects.get(type)?.keys() ?? [])].sort();
  }
}
