import type { Change } from '@edge/notify';

/** The changes of one store revision. */
export interface RevisionGroup {
  readonly rev: number;
  readonly changes: Change[];
}

/**
 * A bounded log of replicated changes, grouped by revision in increasing order. It
 * covers every change after its `horizon`: asking for changes since an older revision
 * gets undefined (the child must resync). When more than `maxChanges` are held, the
 * oldest revisions are dropped and the horizon moves up to the last one dropped.
 */
export class ChangeLog {
  private groups: RevisionGroup[] = [];
  private count = 0;

  /** @param horizonRev the revision after which this log is complete (e.g. the cache's revision at start). */
  constructor(
    private horizonRev: number,
    private readonly maxChanges: number,
  ) {}

  /** The oldest revision a child may resume from. */
  get horizon(): number {
    return this.horizonRev;
  }

  /** Number of changes held. */
  get size(): number {
    return this.count;
  }

  /** The newest revision held (the horizon when empty). */
  get last(): number {
    return this.groups.at(-1)?.rev ?? this.horizonRev;
  }

  /** Adds the changes of revision `rev` (kept in revision order; a known revision is merged). */
  append(rev: number, changes: readonly Change[]): void {
    if (changes.length === 0) return;
    let i = this.groups.length;
    while (i > 0 && (this.groups[i - 1] as RevisionGroup).rev > rev) i--;
    const prev = this.groups[i - 1];
    if (prev?.rev === rev) prev.changes.push(...changes);
    else this.groups.splice(i, 0, { rev, changes: [...changes] });
    this.count += changes.length;
    this.trim();
  }

  /**
   * Adds older history (from a store replay) below what is held and lowers the horizon
   * to `horizon`: the caller vouches that `groups` are every change in (horizon, first held].
   */
  prepend(groups: readonly RevisionGroup[], horizon: number): void {
    if (horizon >= this.horizonRev) return;
    const first = this.groups[0]?.rev ?? Infinity;
    const older = groups.filter((g) => g.rev > horizon && g.rev <= this.horizonRev && g.rev < first);
    this.groups = [...older.map((g) => ({ rev: g.rev, changes: [...g.changes] })), ...this.groups];
    this.count += older.reduce((n, g) => n + g.changes.length, 0);
    this.horizonRev = horizon;
    this.trim();
  }

  /**
   * The changes after `fromRevision` of `types` (full type names), the last per key only,
   * in revision order; undefined when `fromRevision` is older than the horizon (or 0:
   * never synced).
   */
  since(fromRevision: number, types: ReadonlySet<string>): Change[] | undefined {
    if (fromRevision <= 0 || fromRevision < this.horizonRev) return undefined;
    let lo = 0;
    let hi = this.groups.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.groups[mid] as RevisionGroup).rev <= fromRevision) lo = mid + 1;
      else hi = mid;
    }
    const latest = new Map<string, Change>();
    for (let i = lo; i < this.groups.length; i++) {
      for (const c of (this.groups[i] as RevisionGroup).changes) {
        if (!types.has(c.type)) continue;
        const id = `${c.type}\u0000${c.key}`;
        latest.delete(id); // re-insert so the map's order is the last change's order
        latest.set(id, c);
      }
    }
    return [...latest.values()];
  }

  private trim(): void {
    while (this.count > this.maxChanges && this.groups.length > 1) {
      const dropped = this.groups.shift() as RevisionGroup;
      this.count -= dropped.changes.length;
      this.horizonRev = dropped.rev;
    }
  }
}
