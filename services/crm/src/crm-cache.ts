import type { Message } from '@bufbuild/protobuf';
import type { Change, ConnectionInfo, ReplicaSink, ReplicationSource } from '@edge/notify';

/** Revisions of one CRM run start above every revision an earlier run can have handed out. */
const EPOCH = 2 ** 32;

/** What a CrmCache starts from (a previous run's persisted state). */
export interface CrmCacheSnapshot {
  /** The cache revision the objects were at. */
  readonly revision: number;
  readonly objects: readonly { readonly type: string; readonly key: string; readonly obj: Message }[];
}

/** Options of a {@link CrmCache}. */
export interface CrmCacheOptions {
  /** Dependency rank of a type for sends to children (lower first). */
  readonly order: (type: string) => number;
  /** Changes the log keeps for children resuming; default 1000. */
  readonly maxLog?: number;
  /** Objects and revision of a previous run. */
  readonly restore?: CrmCacheSnapshot;
}

/**
 * The CRM's copy of what its Controller sent it (its desired state): the sink of its
 * notify client and the source its own notify server serves to Shepherd (the middle node
 * of the notify tree, like `relay()` of the notify tests).
 *
 * Revisions are local to the CRM. A restarted CRM starts from its persisted objects at a
 * new epoch of revisions, above anything the previous run handed out, with its change log
 * empty: a Shepherd that resumes from a revision of the previous run is always sent a
 * full resync, never a replay that could miss changes the previous run made but did not
 * persist.
 */
export class CrmCache implements ReplicationSource, ReplicaSink {
  private readonly objects = new Map<string, Map<string, Change>>();
  private readonly log: Change[] = [];
  private readonly listeners = new Set<(changes: readonly Change[], revision: number) => void>();
  private readonly maxLog: number;
  private rev: number;
  private horizon: number;

  constructor(private readonly options: CrmCacheOptions) {
    this.maxLog = options.maxLog ?? 1000;
    const restored = options.restore;
    this.rev = restored ? (Math.floor(restored.revision / EPOCH) + 1) * EPOCH : 0;
    this.horizon = this.rev;
    for (const o of restored?.objects ?? []) this.byType(o.type).set(o.key, { ...o, rev: this.rev });
  }

  // --- what the Controller sends (ReplicaSink) ---

  apply(change: Change, _connection?: ConnectionInfo): void {
    if (!change.obj && !this.objects.get(change.type)?.has(change.key)) return;
    this.commit([change]);
  }

  prune(types: ReadonlySet<string>, keep: ReadonlySet<string>): void {
    const gone: Change[] = [];
    for (const t of types) {
      for (const key of this.objects.get(t)?.keys() ?? [])
        if (!keep.has(key)) gone.push({ type: t, key, rev: 0 });
    }
    if (gone.length > 0) this.commit(gone);
  }

  // --- reads ---

  get<T extends Message>(type: string, key: string): T | undefined {
    return this.objects.get(type)?.get(key)?.obj as T | undefined;
  }

  /** Current objects of `type`. */
  list<T extends Message>(type: string): T[] {
    return [...(this.objects.get(type)?.values() ?? [])].map((c) => c.obj as T);
  }

  /** Key JSONs of the current objects of `type`. */
  keys(type: string): string[] {
    return [...(this.objects.get(type)?.keys() ?? [])];
  }

  /** Everything, for persisting. */
  dump(): CrmCacheSnapshot {
    const objects: { type: string; key: string; obj: Message }[] = [];
    for (const [type, byKey] of this.objects) {
      for (const c of byKey.values()) if (c.obj) objects.push({ type, key: c.key, obj: c.obj });
    }
    return { revision: this.rev, objects };
  }

  // --- what Shepherd is served (ReplicationSource) ---

  revision(): number {
    return this.rev;
  }

  snapshot(types: ReadonlySet<string>): { objects: Change[]; revision: number } {
    const objects: Change[] = [];
    for (const t of types) objects.push(...(this.objects.get(t)?.values() ?? []));
    return { objects, revision: this.rev };
  }

  since(fromRevision: number, types: ReadonlySet<string>): Change[] | undefined {
    if (fromRevision < this.horizon || fromRevision > this.rev) return undefined;
    return this.log.filter((c) => c.rev > fromRevision && types.has(c.type));
  }

  subscribe(listener: (changes: readonly Change[], revision: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  order(type: string): number {
    return this.options.order(type);
  }

  private byType(type: string): Map<string, Change> {
    let m = this.objects.get(type);
    if (!m) this.objects.set(type, (m = new Map()));
    return m;
  }

  /** Applies changes as one local revision and publishes them. */
  private commit(changes: readonly Change[]): void {
    const rev = ++this.rev;
    const stamped = changes.map((c) => ({ ...c, rev }));
    for (const c of stamped) {
      if (c.obj) this.byType(c.type).set(c.key, c);
      else this.objects.get(c.type)?.delete(c.key);
      this.log.push(c);
    }
    while (this.log.length > this.maxLog) this.horizon = (this.log.shift() as Change).rev;
    for (const l of [...this.listeners]) l(stamped, rev);
  }
}
