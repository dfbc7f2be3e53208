import { EdgeError, Code } from '@edge/errors';
import { leaseNotFound } from './errors';

interface MemLease {
  readonly id: string;
  readonly ttlMs: number;
  readonly keys: Set<string>;
  readonly lostCbs: ((err: Error) => void)[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * Leases of MemStore. In-process there is no connection to lose, so a lease is kept alive
 * implicitly until revoked; `stopKeepAlive` simulates a holder that stopped sending
 * keep-alives (the lease then expires after its TTL), `expire` makes it expire now.
 */
export class MemLeases {
  private readonly leases = new Map<string, MemLease>();
  private nextId = 1;

  /** @param onExpire deletes the keys of a lease that ended (one revision, like etcd). */
  constructor(private readonly onExpire: (keys: readonly string[]) => void) {}

  grant(ttlMs: number): string {
    const id = (this.nextId++).toString(16);
    this.leases.set(id, { id, ttlMs, keys: new Set(), lostCbs: [], timer: undefined });
    return id;
  }

  /** Throws NOT_FOUND unless `id` is a live lease. */
  check(id: string): void {
    if (!this.leases.has(id)) throw leaseNotFound(id);
  }

  attach(id: string, key: string): void {
    this.leases.get(id)?.keys.add(key);
  }

  detach(id: string, key: string): void {
    this.leases.get(id)?.keys.delete(key);
  }

  onLost(id: string, cb: (err: Error) => void): void {
    this.leases.get(id)?.lostCbs.push(cb);
  }

  /** Ends the lease and deletes its keys; no `onLost` (the holder asked for it). */
  revoke(id: string): void {
    const l = this.leases.get(id);
    if (!l) return;
    this.end(l);
  }

  /** Stops the implicit keep-alive: the lease expires `ttlMs` from now. */
  stopKeepAlive(id: string): void {
    const l = this.leases.get(id);
    if (!l || l.timer) return;
    l.timer = setTimeout(() => this.expire(id), l.ttlMs);
    l.timer.unref();
  }

  /** Expires the lease now: keys deleted, `onLost` callbacks called. */
  expire(id: string): void {
    const l = this.leases.get(id);
    if (!l) return;
    this.end(l);
    const err = new EdgeError(Code.UNAVAILABLE, `lease ${id} expired`);
    for (const cb of l.lostCbs) cb(err);
  }

  /** Stops every timer (store closing); leases are not revoked. */
  close(): void {
    for (const l of this.leases.values()) if (l.timer) clearTimeout(l.timer);
    this.leases.clear();
  }

  private end(l: MemLease): void {
    if (l.timer) clearTimeout(l.timer);
    this.leases.delete(l.id);
    if (l.keys.size > 0) this.onExpire([...l.keys]);
  }
}
