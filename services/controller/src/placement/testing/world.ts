import { create, type Message } from '@bufbuild/protobuf';
import { silentLogger } from '@edge/log';
import { allFiles, dme, edgeproto, ObjectRegistry } from '@edge/proto';
import { MemStore, type KVStore } from '@edge/store';
import type { ApiDeps } from '../../api/rules';
import { createController } from '../../controller';
import { type ObjectApi, type OpContext } from '../../crud/object-api';
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
  const ctrl = createController({
    reg,
    kv,
    region: opts.region ?? 'local',
    log: silentLogger(),
    ...(opts.now ? { now: opts.now } : {}),
    trackedOps: opts.tracked ?? ((deps) => instantTracked(deps.api)),
  });
  await ctrl.start();
  return {
    reg,
    kv,
    deps: ctrl.apiDeps,
    api: <T extends Message>(name: string) => ctrl.apiDeps.api(name) as unknown as ObjectApi<T>,
    put: (typeName, obj) => ctrl.store.apply(async (tx) => tx.put(reg.get(typeName), obj)),
    get: <T extends Message>(typeName: string, obj: Message) => ctrl.view.get<T>(reg.get(typeName), obj),
    async close() {
      await ctrl.stop();
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
