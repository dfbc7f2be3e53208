import { create } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import { edgeproto, type ObjectType } from '@edge/proto';
import { ObjectStore, type KVStore, type Lease, type RegionCache } from '@edge/store';

/** Build identity a Controller advertises in its Controller object (the original's `version.Build*`). */
export interface BuildInfo {
  readonly master?: string;
  readonly head?: string;
  readonly author?: string;
}

/** Options of {@link startRegistration}. */
export interface RegistrationOptions {
  readonly kv: KVStore;
  /** The Controller's own region cache: registration waits until it shows the object, and watches it. */
  readonly cache: RegionCache;
  readonly region: string;
  /** The `Controller` object type from the registry. */
  readonly type: ObjectType;
  /** This Controller's external API address: the object's key (`Controller.key.addr`). */
  readonly addr: string;
  readonly hostname: string;
  readonly build?: BuildInfo;
  readonly log: Logger;
  /** Lease TTL; keep-alives run every third of it. Default 10 s (etcd rounds to whole seconds). */
  readonly ttlMs?: number;
  /** First retry delay after a failed (re-)registration, doubling up to 5 s. Default 200 ms. */
  readonly retryMs?: number;
}

/** A live registration; `stop()` revokes the lease so the object disappears at once. */
export interface Registration {
  /** The lease currently holding the object (changes after a re-registration). */
  readonly leaseId: string | undefined;
  stop(): Promise<void>;
}

/**
 * Puts this Controller's `Controller` object under an etcd lease kept alive by the store, as
 * the original's `registerController`: if the process dies, etcd deletes the object after the
 * TTL, so `ShowController` (a Show over the cache) lists the live Controllers only. When the
 * lease is lost (keep-alives failed) or the object vanishes while we run, it registers again
 * with a new lease, retrying with backoff. Resolves after the first registration is in the cache.
 */
export async function startRegistration(opts: RegistrationOptions): Promise<Registration> {
  const log = opts.log.child({ component: 'registration', addr: opts.addr });
  const objects = new ObjectStore<edgeproto.Controller>(opts.region, opts.type);
  const obj = create(edgeproto.ControllerSchema, {
    key: { addr: opts.addr },
    buildMaster: opts.build?.master ?? '',
    buildHead: opts.build?.head ?? '',
    buildAuthor: opts.build?.author ?? '',
    hostname: opts.hostname,
  });
  const key = objects.key(obj);
  const keyJson = opts.type.keyJson(obj);
  const value = objects.encode(obj);
  const ttlMs = opts.ttlMs ?? 10_000;
  const firstRetryMs = opts.retryMs ?? 200;

  let lease: Lease | undefined;
  let stopped = false;
  let registering: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = firstRetryMs;
  /** Revision of our latest put: a delete older than it is an old lease's and already superseded. */
  let putRev = 0;

  const registerOnce = async (): Promise<void> => {
    const l = await opts.kv.grantLease(ttlMs);
    if (stopped) {
      await l.revoke();
      return;
    }
    const previous = lease;
    lease = l;
    l.onLost((err) => {
      if (lease !== l || stopped) return;
      log.warn({ err, leaseId: l.id }, 'controller lease lost; registering again');
      lease = undefined;
      reregister();
    });
    const rev = await opts.kv.put(key, value, { lease: l.id });
    putRev = rev;
    // The key moved to the new lease; end the old one so its keep-alives stop.
    if (previous && previous !== l) void previous.revoke().catch(() => undefined);
    await opts.cache.waitForRevision(rev, ttlMs);
    retryMs = firstRetryMs;
    log.info({ leaseId: l.id, ttlMs }, 'controller registered');
  };

  const reregister = (): void => {
    if (stopped || registering || retryTimer) return;
    registering = registerOnce()
      .catch((err: unknown) => {
        if (stopped) return;
        log.warn({ err, retryMs }, 'controller registration failed; retrying');
        const old = lease;
        lease = undefined;
        if (old) void old.revoke().catch(() => undefined);
        retryTimer = setTimeout(() => {
          retryTimer = undefined;
          reregister();
        }, retryMs);
        retryMs = Math.min(5000, retryMs * 2);
      })
      .finally(() => {
        registering = undefined;
      });
  };

  // The object can also vanish without our lease's onLost (e.g. the lease was revoked by an
  // operator, or etcd expired it before the client noticed): register again.
  const unsubscribe = opts.cache.type<edgeproto.Controller>(opts.type.name).onChange((c) => {
    if (c.type === 'delete' && c.keyJson === keyJson && c.modRevision > putRev && !stopped) {
      log.warn('controller object deleted while running; registering again');
      reregister();
    }
  });

  try {
    await registerOnce();
  } catch (err) {
    unsubscribe();
    if (lease) await lease.revoke().catch(() => undefined);
    throw err;
  }

  return {
    get leaseId() {
      return lease?.id;
    },
    async stop() {
      stopped = true;
      unsubscribe();
      if (retryTimer) clearTimeout(retryTimer);
      await registering;
      const l = lease;
      lease = undefined;
      if (l) await l.revoke();
      log.info('controller unregistered');
    },
  };
}
