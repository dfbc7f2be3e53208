import type { Change } from './contract';

/**
 * The changes waiting to be sent on one connection, coalesced per key: a key changed ten
 * times before the stream could take it is sent once, at its latest revision. `take()`
 * returns a batch in dependency order — updates with lower `order` first (Flavor and App
 * before AppInst), then deletes in the reverse order (AppInst before App) — and by revision
 * within one type.
 */
export class PendingSends {
  /** type → key → change (nested: the source's key strings are reused, their hashes cached). */
  private readonly byType = new Map<string, Map<string, Change>>();
  private count = 0;

  constructor(private readonly order: (type: string) => number) {}

  /** Number of keys waiting. */
  get size(): number {
    return this.count;
  }

  /** Queues `change` unless a later change of the same key is already waiting. */
  put(change: Change): void {
    let byKey = this.byType.get(change.type);
    if (!byKey) this.byType.set(change.type, (byKey = new Map()));
    const prev = byKey.get(change.key);
    if (prev && prev.rev > change.rev) return;
    if (!prev) this.count++;
    byKey.set(change.key, change);
  }

  /** Removes and returns everything waiting, in send order. */
  take(): Change[] {
    const all: Change[] = [];
    for (const byKey of this.byType.values()) for (const c of byKey.values()) all.push(c);
    this.byType.clear();
    this.count = 0;
    const rank = new Map<string, number>();
    const orderOf = (type: string): number => {
      let r = rank.get(type);
      if (r === undefined) rank.set(type, (r = this.order(type)));
      return r;
    };
    const updates = all.filter((c) => c.obj !== undefined);
    const deletes = all.filter((c) => c.obj === undefined);
    updates.sort((a, b) => orderOf(a.type) - orderOf(b.type) || a.rev - b.rev);
    deletes.sort((a, b) => orderOf(b.type) - orderOf(a.type) || a.rev - b.rev);
    return updates.concat(deletes);
  }
}
