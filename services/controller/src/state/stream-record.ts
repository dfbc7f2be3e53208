/**
 * The per-object progress record in etcd (`<region>/Stream/<Type>/<key JSON>`), our
 * stand-in for the original's Redis stream `AppInstStreamKey: <key>`. It holds what the
 * caller of the current operation is shown, in order, and how the operation ended; the
 * CRM info intake appends to it in the same transaction that changes the object, so a
 * Controller that did not receive the info still sees it (docs/adr/0006-tracked-state.md).
 */

/** One item of a stream record. */
export type StreamEntry =
  /** A progress message shown to the caller. */
  | { readonly msg: string }
  /** The operation failed with this error (terminal). */
  | { readonly error: string }
  /** The operation finished (terminal; the original's EOM). */
  | { readonly eom: true }
  /** The CRM reached a final state; the caller may still add messages (the original's InfoEOM). */
  | { readonly infoEom: true };

/** The stored record of an object's current (or last) operation. */
export interface StreamRecord {
  /** Id of the operation that started the record. */
  readonly op: string;
  readonly entries: readonly StreamEntry[];
  /** How many of the CRM's status messages of this operation are already in `entries`. */
  readonly crmMsgs: number;
  /** The last state the CRM reported during this operation (TrackedState or CloudletState number). */
  readonly crmState?: number;
}

/** The raw-key prefix (after `<region>/`) of stream records; not an object type name. */
export const STREAM_PREFIX = 'Stream/';

/** `Stream/AppInst/{…}`: the record's key below the region. */
export function streamPath(typeName: string, keyJson: string): string {
  return `${STREAM_PREFIX}${typeName}/${keyJson}`;
}

/** `AppInstStreamKey: {…}`, as the original names a stream in its messages. */
export function streamLabel(typeName: string, keyJson: string): string {
  return `${typeName}StreamKey: ${keyJson}`;
}

/** Parses a stored record; undefined for anything unreadable. */
export function parseRecord(value: string | undefined): StreamRecord | undefined {
  if (!value) return undefined;
  try {
    const r = JSON.parse(value) as StreamRecord;
    return typeof r.op === 'string' && Array.isArray(r.entries) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The stored form of a record. */
export function encodeRecord(r: StreamRecord): string {
  return JSON.stringify(r);
}

/** Whether an entry ends the operation for followers (EOM or error). */
export function isEnd(e: StreamEntry): boolean {
  return 'eom' in e || 'error' in e;
}

/** The operation has ended: an EOM or error was written. */
export function isEnded(r: StreamRecord): boolean {
  return r.entries.some(isEnd);
}

/**
 * Another operation may start: the last entry is EOM, error or the CRM's final state
 * (a record left open by a Controller that died is freed by the CRM finishing).
 */
export function acceptsNewOp(r: StreamRecord): boolean {
  const last = r.entries[r.entries.length - 1];
  return last !== undefined && (isEnd(last) || 'infoEom' in last);
}

/** A record with `entries` appended (nothing once the operation has ended). */
export function appended(r: StreamRecord, entries: readonly StreamEntry[]): StreamRecord {
  if (isEnded(r) || entries.length === 0) return r;
  return { ...r, entries: [...r.entries, ...entries] };
}
