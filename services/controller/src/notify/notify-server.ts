import { randomInt } from 'node:crypto';
import { createRegistry } from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';
import { silentLogger, type Logger } from '@edge/log';
import { NotifyServer, registryCodec, type PolicyFactory } from '@edge/notify';
import { allFiles, type ObjectRegistry, type edgeproto } from '@edge/proto';
import type { AuthHook, HandlerContext, ServeOptions } from '@edge/rpc';
import type { RegionCache } from '@edge/store';
import { ACCESS_KEY_DATA, createAccessKeyAuth } from '../access';
import { connectionPolicy } from './connection-policy';
import { LATENCY_REQUEST_TYPE, relayLatencyRequests } from './latency-relay';
import type { ControllerNotifySink } from './notify-sink';
import type { RegionReplicationSource } from './region-source';
import { replicatedTypes } from './send-order';

/** Info objects a Controller accepts from its children (the original's receive list, §3.3). */
const INFO_TYPES = [
  'CloudletInfo',
  'ClusterInstInfo',
  'AppInstInfo',
  'VMPoolInfo',
  'AutoProvInfo',
  'Alert',
  'Node',
];
/** One-shot messages it accepts (Metric → InfluxDB; the others are logged and dropped for now). */
const MESSAGE_TYPES = ['Metric', 'AutoProvCounts'];

/** Options of {@link controllerNotifyServer}. */
export interface ControllerNotifyServerOptions {
  readonly reg: ObjectRegistry;
  /** The Controller's region cache (started): cloudlets for the access-key check and the CRM filter. */
  readonly cache: RegionCache;
  /** `Controller.notify.source` / `.sink`. */
  readonly source: RegionReplicationSource;
  readonly sink: ControllerNotifySink;
  /**
   * Refuse streams without a valid cloudlet access-key signature (the original's
   * `-requireNotifyAccessKey`). Otherwise the signature is optional, but a stream that
   * presents one is verified (and refused when it does not verify).
   */
  readonly requireAccessKey?: boolean;
  /** Pause before refusing a stream (the original's BadAuthDelay); default 3000 ms. */
  readonly badAuthDelayMs?: number;
  /** This node's name in the VERSION reply; default `controller`. */
  readonly name?: string;
  /**
   * Id of the first connection; default time-based (ms × 1000 + random), so that ids of a
   * restarted Controller never match the `notify_id` stamped into stored info objects by
   * an earlier run (or by another Controller of the region).
   */
  readonly firstConnectionId?: number;
  readonly log?: Logger;
}

/** A Controller's notify server and how to serve it. */
export interface ControllerNotifyServer {
  readonly server: NotifyServer;
  /** Adds `NotifyApi` to `grpcServer` (before it listens), behind the access-key check. */
  register(grpcServer: grpc.Server, serve?: Omit<ServeOptions, 'auth'>): void;
}

/**
 * The notify server of a regional Controller: replicates its region cache (`source`) to
 * CRMs, DMEs and other children, each CRM filtered to its cloudlet (`connectionPolicy`),
 * and applies what they send up to `sink`. A stream's cloudlet identity is the cloudlet
 * whose access key signed its metadata (`access-key-data` / `access-key-sig`, as the
 * access API); it lets a reconnecting CRM resume with its filter in place.
 *
 * @example
 *   const notify = controllerNotifyServer({ reg, cache: ctrl.cache, ...ctrl.notify, log });
 *   const grpcServer = createServer();
 *   notify.register(grpcServer, { log, trace });
 *   await listen(grpcServer, cfg.notifyAddr, credentials);
 *   …
 *   await notify.server.close();
 */
export function controllerNotifyServer(opts: ControllerNotifyServerOptions): ControllerNotifyServer {
  const { reg, cache, source, sink } = opts;
  const registry = createRegistry(...allFiles);
  const codec = registryCodec(reg, registry);
  const typeNames = (names: string[]): string[] =>
    names.map((n) => `edgeproto.${n}`).filter((n) => registry.getMessage(n) !== undefined);
  const keyAuth = createAccessKeyAuth({
    lookupCloudlet: async (keyJson) => cache.type<edgeproto.Cloudlet>('Cloudlet').get(keyJson),
    ...(opts.badAuthDelayMs !== undefined ? { badAuthDelayMs: opts.badAuthDelayMs } : {}),
  });
  const auth: AuthHook = (ctx) => {
    if (opts.requireAccessKey || ctx.requestHeader.has(ACCESS_KEY_DATA)) return keyAuth.hook(ctx);
  };
  const policy: PolicyFactory = (conn, hello) => {
    const from = hello.resumeRevision;
    const resumes = hello.version >= 2 && from > 0 && from >= source.horizon;
    return connectionPolicy(
      { reg, cache, order: (t) => source.order(t) },
      {
        filterCloudletKey: hello.filterCloudletKey,
        ...(conn.identity !== undefined ? { cloudlet: conn.identity } : {}),
        ...(resumes ? { resumeFrom: from } : {}),
      },
    );
  };
  const server = new NotifyServer({
    ...codec,
    source,
    sink,
    policy,
    accepts: typeNames(INFO_TYPES),
    messageTypes: typeNames(MESSAGE_TYPES),
    sends: replicatedTypes(reg).map((t) => t.typeName),
    sendsMessages: [LATENCY_REQUEST_TYPE],
    name: opts.name ?? 'controller',
    firstConnectionId: opts.firstConnectionId ?? Date.now() * 1000 + randomInt(1000),
    identify: (ctx: HandlerContext) => keyAuth.verified(ctx)?.keyJson,
    ...(opts.log ? { log: opts.log } : {}),
  });
  relayLatencyRequests(cache, server, opts.log ?? silentLogger());
  return {
    server,
    register: (grpcServer, serve = {}) => server.register(grpcServer, { ...serve, auth }),
  };
}
