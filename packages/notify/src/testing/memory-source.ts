import type { Message } from '@bufbuild/protobuf';
import type { Change, ReplicationSource } from '../contract';

/** How a MemorySource is set up. */
export interface MemorySourceOptions {
  /** Key JSON of an object (the codec's `keyJson`). */
  keyJson(type: string, obj: Message): string;
  /** Dependency rank per type (lower first); unknown types rank 0. */
  order?: Readonly<Record<string, number>>;
  /** Changes the log keeps; older ones set the horizon. Default 1000. */
  maxLog?: number;
}

/** One write of a commit: an object to store, or a key to delete. */
export type Write = { readonly obj: Message } | { readonly type: string; readonly key: string };

/**
 * An in-memory ReplicationSource: objects by type and key, a revision counter, and a
 * bounded change log. Each `commit` is one revision (like one etcd transaction) and is
 * published to subscribers at once, synchronously.
 */
export class MemorySource implements ReplicationSource {
  private rev = 0;
  private horizon = 0;
  private readonly objects = new Map<string, Map<string, Change>>();
  /** The change log: `log[logStart..]` (the head is dropped in bulk, not shifted per change). */
  private log: Change[] = [];
  private logStart = 0;
  private readonly listeners = new Set<(changes: readonly Change[], revision: number) => void>();
  private readonly maxLog: number;

  constructor(private readonly options: MemorySourceOptions) {
    this.maxLog = options.maxLog ?? 1000;
  }

  /** Stores objects in one revision; returns it. */
  put(...objs: Message[]): number {
    return this.commit(objs.map((obj) => ({ obj })));
  }

  /** Deletes one object in its own revision; returns it. */
  delete(type: string, key: string): number {
    return this.commit([{ type, key }]);
  }

  /** Applies `writes` as one revision and publishes it; returns the revision. */
  commit(writes: readonly Write[]): number {
    const rev = ++this.rev;
    const changes: Change[] = writes.map((w) =>
      'obj' in w
        ? { type: w.obj.$typeName, key: this.options.keyJson(w.obj.$typeName, w.obj), rev, obj: w.obj }
        : { type: w.type, key: w.key, rev },
    );
    for (const c of changes) {
      let byKey = this.objects.get(c.type);
      if (!byKey) this.objects.set(c.type, (byKey = new Map()));
      if (c.obj) byKey.set(c.key, c);
      else byKey.delete(c.key);
      this.log.push(c);
    }
    if (this.log.length - this.logStart > this.maxLog) {
      this.logStart = this.log.length - this.maxLog;
      this.horizon = (this.log[this.logStart - 1] as Change).rev;
      if (this.logStart >= this.maxLog) {
        this.log = this.log.slice(this.logStart);
        this.logStart = 0;
      }
    }
    for (const l of this.listeners) l(changes, rev);
    return rev;
  }

  /** The current object `type`/`key`, if any. */
  get(type: string, key: string): Message | undefined {
    return this.objects.get(type)?.get(key)?.obj;
  }

  revision(): number {
    return this.rev;
  }

  snapshot(types: ReadonlySet<string>): { objects: Change[]; revision: number } {
    const objects: Change[] = [];
    for (const t of types) objects.push(...(this.objects.get(t)?.values() ?? []));
    return { objects, revision: this.rev };
  }

  since(fromRevision: number, types: ReadonlySet<string>): Change[] | undefined {
    if (fromRevision < this.horizon) return undefined;
    return this.log.slice(this.logStart).filter((c) => c.rev > fromRevision && types.has(c.type));
  }

  subscribe(listener: (changes: readonly Change[], revision: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  order(type: string): number {
    return this.options.order?.[type] ?? 0;
  }
}
