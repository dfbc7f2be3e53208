import { create, type Message } from '@bufbuild/protobuf';
import { silentLogger } from '@edge/log';
import { allFiles, dme, edgeproto, ObjectRegistry } from '@edge/proto';
import { MemStore, RegionCache, type KVStore } from '@edge/store';
import { objectRules, type ApiDeps } from '../../api/rules';
import { ObjectApi, type OpContext } from '../../crud/object-api';
import { storePorts } from '../../crud/store-ports';
import type { TrackedOps } from '../../state/tracked-ops';

/** A Controller's objects and rules without its RPC server, for placement tests. */
export interface PlacementWorld {
  readonly reg: ObjectRegistry;
  readonly kv: KVStore;
  readonly deps: ApiDeps;
  api<T extends Message>(name: string): ObjectApi<T>;
  /** Writes objects as they are, bypassing the rules (fixtures: CloudletInfo, ready clusters). */
  put(typeName: string, obj: Message): Promise<void>;
  get<T extends Message>(typeName: string, obj: Message): T | undefined;
  close(): Promise<void>;
}

/**
 * A TrackedOps stand-in for tests without a CRM: creates go straight to READY (the
 * IGNORE_CRM path), deletes remove at once.
 */
export function instantTracked(api: (name: string) => ObjectApi): TrackedOps {
  return {
    create: async (name, obj, op) => {
      await api(name).create(obj, op, (o) => {
        (o as unknown as { state: number }).state = edgeproto.TrackedState.READY;
      });
    },
    update: async (name, obj) => {
      await api(name).update(obj);
    },
    delete: async (name, obj) => {
      await api(name).delete(obj);
    },
  };
}

/** Builds the world over `kv` (default: a fresh MemStore); `tracked` replaces the instant stand-in. */
export async function placementWorld(
  opts: { kv?: KVStore; region?: string; tracked?: (deps: ApiDeps) => TrackedOps; now?: () => Date } = {},
): Promise<PlacementWorld> {
  const reg = new ObjectRegistry(allFiles);
  const kv = opts.kv ?? new MemStore();
  const region = opts.region ?? 'local';
  const log = silentLogger();
  const stored = reg.all().filter((t) => t.stored);
  const cache = new RegionCache({ store: kv, region, types: stored, log });
  const { store, view } = storePorts(kv, cache, region);
  const apis = new Map<string, ObjectApi>();
  const api = (name: string): ObjectApi => {
    const a = apis.get(name);
    if (!a) throw new Error(`no API for ${name}`);
    return a;
  };
  const now = opts.now ?? (() => new Date());
  let tracked: TrackedOps | undefined;
  const deps: ApiDeps = {
    reg,
    region,
    kv,
    store,
    cache: view,
    regionCache: cache,
    log,
    now,
    api,
    tracked: () => (tracked ??= opts.tracked ? opts.tracked(deps) : instantTracked(api)),
  };
  const rules = objectRules(deps);
  for (const t of stored)
    if (!t.singleton) apis.set(t.name, new ObjectApi(t, { reg, store, cache: view, now }, rules[t.name]));
  await cache.start();
  return {
    reg,
    kv,
    deps,
    api: <T extends Message>(name: string) => api(name) as unknown as ObjectApi<T>,
    put: (typeName, obj) => store.apply(async (tx) => tx.put(reg.get(typeName), obj)),
    get: <T extends Message>(typeName: string, obj: Message) => view.get<T>(reg.get(typeName), obj),
    async close() {
      await cache.stop();
      if (!opts.kv) await kv.close();
    },
  };
}

/** Collects the progress messages of an operation. */
export function recorder(): OpContext & { messages: string[] } {
  const messages: string[] = [];
  return { messages, send: (m) => void messages.push(m) };
}

/** A READY fake cloudlet `op/<name>` with a READY CloudletInfo listing `flavors`. */
export async function readyCloudlet(
  w: PlacementWorld,
  name: string,
  flavors: { name: string; vcpus: number; ram: number; disk: number; propMap?: Record<string, string> }[],
  extra: Partial<edgeproto.Cloudlet> = {},
): Promise<edgeproto.CloudletKey> {
  const key = create(edgeproto.CloudletKeySchema, { organization: 'op', name });
  await w.put(
    'Cloudlet',
    create(edgeproto.CloudletSchema, {
      key,
      state: edgeproto.TrackedState.READY,
      platformType: edgeproto.PlatformType.FAKE,
      ipSupport: edgeproto.IpSupport.DYNAMIC,
      numDynamicIps: 10,
      location: { latitude: 1, longitude: 1 },
      ...extra,
    } as never),
  );
  await w.put(
    'CloudletInfo',
    create(edgeproto.CloudletInfoSchema, {
      key,
      state: dme.CloudletState.READY,
      flavors: flavors.map((f) => ({
        name: f.name,
        vcpus: BigInt(f.vcpus),
        ram: BigInt(f.ram),
        disk: BigInt(f.disk),
        propMap: f.propMap ?? {},
      })),
    }),
  );
  return key;
}
