import type { Logger } from '@edge/log';
import { compactedError } from './errors';
import type { Watch, WatchEvent, WatchHandlers } from './kv-store';

/** All changes of one revision. */
interface Change {
  readonly revision: number;
  readonly events: readonly WatchEvent[];
}

interface MemWatcher {
  readonly prefix: string;
  readonly handlers: WatchHandlers;
  /** First revision not yet delivered. */
  nextRev: number;
  progressRequested: boolean;
  closed: boolean;
}

/**
 * The watch side of MemStore: a bounded history of changes (the last `maxRevisions`
 * revisions) and the watchers replaying from it. Delivery is asynchronous (setImmediate),
 * like a network store, in revision order, one `onEvents` per revision.
 */
export class MemWatchHub {
  private readonly history: Change[] = [];
  /** Revisions up to this one are gone; a watch from at or below it is compacted. */
  private compactedRev: number;
  private readonly watchers = new Set<MemWatcher>();
  private pumpScheduled: NodeJS.Immediate | undefined;

  /** @param compactedRev revisions up to this one have no history (the revision a snapshot was loaded at; 0 when fresh). */
  constructor(
    private readonly maxRevisions: number,
    private readonly currentRevision: () => number,
    compactedRev: number,
    private readonly log: Logger,
  ) {
    this.compactedRev = compactedRev;
  }

  /** Records the events of a committed revision and wakes the watchers. */
  record(revision: number, events: readonly WatchEvent[]): void {
    this.history.push({ revision, events });
    while (this.history.length > this.maxRevisions) {
      const dropped = this.history.shift();
      if (dropped) this.compactedRev = dropped.revision;
    }
    this.schedule();
  }

  /** Starts a watch; `fromRevision` 0 means "changes after now". */
  watch(prefix: string, fromRevision: number, handlers: WatchHandlers): Watch {
    const w: MemWatcher = {
      prefix,
      handlers,
      nextRev: fromRevision > 0 ? fromRevision : this.currentRevision() + 1,
      progressRequested: false,
      closed: false,
    };
    this.watchers.add(w);
    this.schedule();
    return {
      close: () => {
        w.closed = true;
        this.watchers.delete(w);
        return Promise.resolve();
      },
      requestProgress: () => {
        w.progressRequested = true;
        this.schedule();
      },
    };
  }

  /** Ends every watch without notifying it (the store is closing). */
  closeAll(): void {
    for (const w of this.watchers) w.closed = true;
    this.watchers.clear();
    if (this.pumpScheduled) clearImmediate(this.pumpScheduled);
    this.pumpScheduled = undefined;
  }

  private schedule(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = setImmediate(() => {
      this.pumpScheduled = undefined;
      for (const w of [...this.watchers]) this.pump(w);
    });
  }

  private pump(w: MemWatcher): void {
    const current = this.currentRevision();
    if (w.nextRev <= this.compactedRev) {
      this.watchers.delete(w);
      w.closed = true;
      this.call(() => w.handlers.onError?.(compactedError(w.nextRev)));
      return;
    }
    for (let i = this.firstIndexAtOrAfter(w.nextRev); i < this.history.length && !w.closed; i++) {
      const change = this.history[i] as Change;
      const events = change.events.filter((e) => e.key.startsWith(w.prefix));
      w.nextRev = change.revision + 1;
      if (events.length > 0) this.call(() => w.handlers.onEvents(events, change.revision));
    }
    if (w.closed) return;
    w.nextRev = Math.max(w.nextRev, current + 1);
    if (w.progressRequested) {
      w.progressRequested = false;
      this.call(() => w.handlers.onProgress?.(current));
    }
  }

  private firstIndexAtOrAfter(rev: number): number {
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.history[mid] as Change).revision < rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private call(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.log.error({ err }, 'watch handler threw');
    }
  }
}
