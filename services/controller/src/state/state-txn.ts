import type { Message } from '@bufbuild/protobuf';
import type { ObjectType } from '@edge/proto';
import { ObjectStore, type Txn } from '@edge/store';
import type { ObjectTxn } from '../crud/ports';
import type { StateDeps } from './state-deps';
import {
  appended,
  encodeRecord,
  parseRecord,
  streamPath,
  type StreamEntry,
  type StreamRecord,
} from './stream-record';

/** How long a writer waits for its own cache to see its commit. */
const SYNC_WAIT_MS = 10_000;

/** Objects and stream records in one store transaction. */
export interface StateTxn extends ObjectTxn {
  getRecord(typeName: string, keyJson: string): Promise<StreamRecord | undefined>;
  putRecord(typeName: string, keyJson: string, r: StreamRecord): void;
  deleteRecord(typeName: string, keyJson: string): void;
  /** Appends to the record if it exists, belongs to `op` (when given) and has not ended. */
  appendRecord(
    typeName: string,
    keyJson: string,
    entries: readonly StreamEntry[],
    op?: string,
  ): Promise<void>;
}

/**
 * Runs `fn` as one serializable transaction over objects and stream records, then waits
 * until this Controller's cache has the commit (so callers and followers see it).
 */
export async function applyState<T>(deps: StateDeps, fn: (tx: StateTxn) => Promise<T>): Promise<T> {
  const stores = new Map<string, ObjectStore>();
  const storeOf = (t: ObjectType): ObjectStore => {
    let s = stores.get(t.name);
    if (!s) stores.set(t.name, (s = new ObjectStore(deps.region, t)));
    return s;
  };
  const rawKey = (typeName: string, keyJson: string): string =>
    `${deps.region}/${streamPath(typeName, keyJson)}`;
  const wrap = (tx: Txn): StateTxn => {
    const getRecord = async (typeName: string, keyJson: string): Promise<StreamRecord | undefined> =>
      parseRecord((await tx.get(rawKey(typeName, keyJson)))?.value);
    const putRecord = (typeName: string, keyJson: string, r: StreamRecord): void =>
      tx.put(rawKey(typeName, keyJson), encodeRecord(r));
    return {
      get: <M extends Message>(t: ObjectType, holder: Message) =>
        storeOf(t).get(tx, holder) as Promise<M | undefined>,
      put: (t, obj) => storeOf(t).put(tx, obj),
      delete: (t, holder) => storeOf(t).delete(tx, holder),
      getRecord,
      putRecord,
      deleteRecord: (typeName, keyJson) => tx.delete(rawKey(typeName, keyJson)),
      async appendRecord(typeName, keyJson, entries, op) {
        const r = await getRecord(typeName, keyJson);
        if (!r || (op !== undefined && r.op !== op)) return;
        const next = appended(r, entries);
        if (next !== r) putRecord(typeName, keyJson, next);
      },
    };
  };
  const { result, revision } = await deps.kv.txn((tx) => fn(wrap(tx)));
  await deps.regionCache.waitForRevision(revision, SYNC_WAIT_MS);
  return result;
}

/** The record as this Controller's cache has it. */
export function cachedRecord(deps: StateDeps, typeName: string, keyJson: string): StreamRecord | undefined {
  const path = streamPath(typeName, keyJson);
  const full = `${deps.region}/${path}`;
  return parseRecord(deps.regionCache.listRaw(path).find((kv) => kv.key === full)?.value);
}
