import type { StateDeps } from './state-deps';
import { cachedRecord } from './state-txn';
import { streamPath, type StreamEntry, type StreamRecord } from './stream-record';

/** Where to start following and when to stop. */
export interface FollowOptions {
  /** Only this operation's record (stop when the record is restarted by another). */
  readonly op?: string;
  /** After the CRM's final state (infoEom), stop once nothing was added for this long; default 3 s. */
  readonly infoIdleMs?: number;
  /** Stop once nothing was added for this long; default 30 min (the original's read timeout). */
  readonly idleMs?: number;
}

/** Handle of a running follow. */
export interface Follow {
  /** Stops following (the iteration ends). */
  stop(): void;
}

/**
 * Follows an object's stream record in this Controller's cache: calls `onEntry` for each
 * entry from the start of the record, in order, then `onEnd` once an EOM or error entry
 * was delivered, the record went away or was restarted, or it stayed idle (the
 * original's `StreamMsgs`: 30 min, 3 s after the CRM's final state).
 */
export function followRecord(
  deps: StateDeps,
  typeName: string,
  keyJson: string,
  onEntry: (e: StreamEntry) => void,
  onEnd: () => void,
  opts: FollowOptions = {},
): Follow {
  const path = streamPath(typeName, keyJson);
  const fullKey = `${deps.region}/${path}`;
  let pos = 0;
  let op = opts.op;
  let finished = false;
  let infoDone = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
    onEnd();
  };
  const arm = (ms: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(finish, ms);
    timer.unref?.();
  };
  const take = (r: StreamRecord | undefined): void => {
    if (finished) return;
    if (!r || (op !== undefined && r.op !== op)) return finish();
    op = r.op;
    let added = false;
    while (pos < r.entries.length) {
      const e = r.entries[pos++] as StreamEntry;
      added = true;
      onEntry(e);
      if ('eom' in e || 'error' in e) return finish();
      if ('infoEom' in e) infoDone = true;
    }
    if (added || !timer) arm(infoDone ? (opts.infoIdleMs ?? 3000) : (opts.idleMs ?? 30 * 60_000));
  };
  const unsubscribe = deps.regionCache.onRaw(path, (c) => {
    if (c.key !== fullKey) return;
    take(cachedRecord(deps, typeName, keyJson));
  });
  take(cachedRecord(deps, typeName, keyJson));
  return { stop: finish };
}
