import { clone, type Message } from '@bufbuild/protobuf';
import type { ObjectType } from '@edge/proto';
import { ObjectStore, type KVStore, type RegionCache } from '@edge/store';
import type { CacheView, ObjectStorePort, ObjectTxn } from './ports';

/** How long a writer waits for its own cache to see its commit before failing the call. */
const SYNC_WAIT_MS = 10_000;

/**
 * The Controller's ports over @edge/store: transactions on the KV store that resolve
 * once this Controller's region cache has applied the commit (the original's
 * `ApplySTMWait` + `syncWait`), and the cache as a read-only view. `types` are the
 * cached types, whose reads a transaction's first run takes from the cache.
 */
export function storePorts(
  kv: KVStore,
  cache: RegionCache,
  region: string,
  types: readonly ObjectType[] = [],
): { store: ObjectStorePort; view: CacheView } {
  const stores = new Map<string, ObjectStore>();
  const storeOf = (t: ObjectType): ObjectStore => {
    let s = stores.get(t.name);
    if (!s) stores.set(t.name, (s = new ObjectStore(region, t)));
    return s;
  };
  const cachedTypes = new Set(types.map((t) => t.name));
  const store: ObjectStorePort = {
    async apply(fn) {
      const { result, revision } = await kv.txn((tx) => {
        // This run's view of each key read or written, so reads agree with own writes.
        const seen = new Map<string, Message | undefined>();
        const get = async (t: ObjectType, holder: Message): Promise<Message | undefined> => {
          const s = storeOf(t);
          const key = s.key(holder);
          if (seen.has(key)) return seen.get(key);
          let obj: Message | undefined;
          if (tx.attempt === 0 && cachedTypes.has(t.name)) {
            // First run: trust the cache and let the commit check the revision. A stale
            // cache costs one rerun with real reads; a fresh one saves a round trip per read.
            const entry = cache.type(t.name).getWithRevision(t.keyJson(holder));
            tx.assume(key, entry?.modRevision ?? 0);
            obj = entry ? clone(t.schema, entry.obj) : undefined;
          } else {
            obj = await s.get(tx, holder);
          }
          seen.set(key, obj);
          return obj;
        };
        return fn({
          get: get as ObjectTxn['get'],
          put: (t, obj) => {
            storeOf(t).put(tx, obj);
            seen.set(storeOf(t).key(obj), obj);
          },
          delete: (t, holder) => {
            storeOf(t).delete(tx, holder);
            seen.set(storeOf(t).key(holder), undefined);
          },
        });
      });
      await cache.waitForRevision(revision, SYNC_WAIT_MS);
      return result;
    },
  };
  const view: CacheView = {
    get: <T extends Message>(t: ObjectType, holder: Message) => cache.type<T>(t.name).get(t.keyJson(holder)),
    list: <T extends Message>(t: ObjectType) => {
      const all = cache.type<T>(t.name).list();
      return [...all].sort((a, b) =>
        t.keyJson(a) < t.keyJson(b) ? -1 : t.keyJson(a) > t.keyJson(b) ? 1 : 0,
      );
    },
  };
  return { store, view };
}
