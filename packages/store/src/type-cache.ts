import type { Message } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import type { ObjectStore, Stored } from './object-store';

/** A change of one cached object, delivered after the cache applied it. */
export interface CacheChange<T> {
  readonly type: 'put' | 'delete';
  /** The object's key as text (`ObjectType.keyJson`; empty for singletons). */
  readonly keyJson: string;
  /** The object before the change; undefined for a create. */
  readonly old?: T;
  /** The object after a put; undefined for a delete. */
  readonly obj?: T;
  readonly modRevision: number;
}

/**
 * The cached objects of one type in one region, fed by a {@link RegionCache}. Reads are
 * synchronous and never touch the store. Objects returned are the cache's own: treat
 * them as read-only (clone before changing).
 */
export class TypeCache<T extends Message = Message> {
  private readonly entries = new Map<string, Stored<T>>();
  private readonly subs = new Set<(c: CacheChange<T>) => void>();

  constructor(
    /** How this type is keyed and encoded. */
    readonly objects: ObjectStore<T>,
    private readonly log: Logger,
  ) {}

  get(keyJson: string): T | undefined {
    return this.entries.get(keyJson)?.obj;
  }

  getWithRevision(keyJson: string): Stored<T> | undefined {
    return this.entries.get(keyJson);
  }

  /** Every cached object, in no particular order. */
  list(): T[] {
    return [...this.entries.values()].map((e) => e.obj);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Calls `cb` for each change, in revision order, after the cache has it; returns the unsubscribe. */
  onChange(cb: (c: CacheChange<T>) => void): () => void {
    this.subs.add(cb);
    return () => this.subs.delete(cb);
  }

  /**
   * Applies a stored value (or a delete, `value` undefined). Returns the change to
   * announce, or undefined when nothing changed. Throws when the value does not decode.
   * @internal used by RegionCache
   */
  apply(keyJson: string, value: string | undefined, modRevision: number): CacheChange<T> | undefined {
    const old = this.entries.get(keyJson)?.obj;
    if (value === undefined) {
      if (!this.entries.delete(keyJson)) return undefined;
      return { type: 'delete', keyJson, modRevision, ...(old ? { old } : {}) };
    }
    const obj = this.objects.decode(value);
    this.entries.set(keyJson, { obj, modRevision });
    return { type: 'put', keyJson, modRevision, obj, ...(old ? { old } : {}) };
  }

  /** Mod revision of every cached key, for the relist diff. @internal */
  revisions(): Map<string, number> {
    return new Map([...this.entries].map(([k, e]) => [k, e.modRevision]));
  }

  /** @internal */
  notify(c: CacheChange<T>): void {
    for (const cb of this.subs) {
      try {
        cb(c);
      } catch (err) {
        this.log.error(
          { err, type: this.objects.type.name, keyJson: c.keyJson },
          'cache change callback threw',
        );
      }
    }
  }
}
