import type { Message } from '@bufbuild/protobuf';
import type { ObjectType } from '@edge/proto';
import { ObjectStore, type KVStore, type RegionCache } from '@edge/store';
import type { CacheView, ObjectStorePort } from './ports';

/** How long a writer waits for its own cache to see its commit before failing the call. */
const SYNC_WAIT_MS = 10_000;

/**
 * The Controller's ports over @edge/store: transactions on the KV store that resolve
 * once this Controller's region cache has applied the commit (the original's
 * `ApplySTMWait` + `syncWait`), and the cache as a read-only view.
 */
export function storePorts(
  kv: KVStore,
  cache: RegionCache,
  region: string,
): { store: ObjectStorePort; view: CacheView } {
  const stores = new Map<string, ObjectStore>();
  const storeOf = (t: ObjectType): ObjectStore => {
    let s = stores.get(t.name);
    if (!s) stores.set(t.name, (s = new ObjectStore(region, t)));
    return s;
  };
  const store: ObjectStorePort = {
    async apply(fn) {
      const { result, revision } = await kv.txn((tx) =>
        fn({
          get: <T extends Message>(t: ObjectType, holder: Message) =>
            storeOf(t).get(tx, holder) as Promise<T | undefined>,
          put: (t, obj) => storeOf(t).put(tx, obj),
          delete: (t, holder) => storeOf(t).delete(tx, holder),
        }),
      );
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
