import type { Message } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import type { edgeproto } from '@edge/proto';
import type { CacheChange, RegionCache } from '@edge/store';
import { EVENTS_DB, eventPoint, type EventLookups } from './event-points';
import { EVENT_MEASUREMENTS, lifecycleEvents, type EventType } from './lifecycle-events';
import type { OwnWrites } from './own-writes';
import type { InfluxPoint, NanoClock } from './points';

/** Where recorded points go (an InfluxWriter, or a fake in tests). */
export interface PointSink {
  write(db: string, point: InfluxPoint): void;
}

/** Options of {@link recordLifecycleEvents}. */
export interface EventRecorderOptions {
  readonly cache: RegionCache;
  readonly lookups: EventLookups;
  /** Revisions this Controller committed: only their changes are recorded here. */
  readonly own: OwnWrites;
  readonly sink: PointSink;
  readonly clock: NanoClock;
  readonly log: Logger;
  /** Database name; default `events`. */
  readonly db?: string;
}

type Tracked = edgeproto.AppInst | edgeproto.ClusterInst | edgeproto.Cloudlet;

/**
 * Subscribes to AppInst, ClusterInst and Cloudlet changes in the region cache and writes the
 * original's lifecycle event points (see {@link lifecycleEvents}) to the `events` database,
 * for the changes this Controller's own writes made. Returns the unsubscribe.
 */
export function recordLifecycleEvents(opts: EventRecorderOptions): () => void {
  const db = opts.db ?? EVENTS_DB;
  const log = opts.log.child({ component: 'lifecycle-events' });
  const record = (type: EventType, c: CacheChange<Tracked>): void => {
    const events = lifecycleEvents(type, c);
    const obj = c.obj ?? c.old;
    if (events.length === 0 || !obj) return;
    opts.own.ifMine(c.modRevision, () => {
      for (const ev of events) {
        const point = eventPoint(type, obj, ev, opts.lookups, opts.clock.next());
        opts.sink.write(db, point);
        log.debug(
          { type, keyJson: c.keyJson, event: ev.event, modRevision: c.modRevision },
          'lifecycle event',
        );
      }
    });
  };
  const unsubs = (Object.keys(EVENT_MEASUREMENTS) as EventType[]).map((type) =>
    opts.cache.type<Message>(type).onChange((c) => record(type, c as CacheChange<Tracked>)),
  );
  return () => {
    for (const u of unsubs) u();
  };
}
