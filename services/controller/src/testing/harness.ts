import type { DescService } from '@bufbuild/protobuf';
import { silentLogger } from '@edge/log';
import { ObjectRegistry, allFiles } from '@edge/proto';
import {
  addService,
  createClient,
  createServer,
  insecureClient,
  insecureServer,
  listen,
  type Client,
} from '@edge/rpc';
import { EtcdStore, MemStore, type KVStore } from '@edge/store';
import { createController, type Controller } from '../controller';
import { controllerNotifyServer, type ControllerNotifyServer } from '../notify';

/** A Controller served over gRPC on loopback, with a client factory; for tests. */
export interface ControllerHarness {
  readonly reg: ObjectRegistry;
  readonly ctrl: Controller;
  readonly kv: KVStore;
  readonly address: string;
  /** The notify server (`NotifyApi`) on its own loopback port. */
  readonly notify: ControllerNotifyServer;
  readonly notifyAddress: string;
  client<S extends DescService>(service: S): Client<S>;
  close(): Promise<void>;
}

/** How a test Controller is set up. */
export interface ControllerHarnessOptions {
  /** An existing store (to run two Controllers on one); else etcd at `etcd`, else a MemStore. */
  kv?: KVStore;
  etcd?: string;
  region?: string;
  /** Close the store with the harness; default: when the harness made it. */
  ownsStore?: boolean;
  /** Refuse notify streams without a valid access-key signature. */
  requireNotifyAccessKey?: boolean;
  /** Changes the notify change log keeps (small: children fall behind its horizon). */
  notifyChangeLog?: number;
  /** Port of the notify server (e.g. a restarted Controller on its predecessor's); default a free one. */
  notifyPort?: number;
  /** InfluxDB URL for lifecycle events and metrics; default none (disabled). */
  influxAddr?: string;
}

/** A Controller with its API and its notify server on loopback ports. */
export async function startController(opts: ControllerHarnessOptions = {}): Promise<ControllerHarness> {
  const reg = new ObjectRegistry(allFiles);
  const kv = opts.kv ?? (opts.etcd ? new EtcdStore({ endpoints: [opts.etcd] }) : new MemStore());
  const ownsStore = opts.ownsStore ?? opts.kv === undefined;
  const log = silentLogger();
  const ctrl = createController({
    reg,
    kv,
    region: opts.region ?? 'local',
    log,
    ...(opts.influxAddr ? { influxAddr: opts.influxAddr, influxWriter: { flushIntervalMs: 100 } } : {}),
    ...(opts.notifyChangeLog ? { notifyChangeLog: opts.notifyChangeLog } : {}),
  });
  await ctrl.start();
  const server = createServer();
  for (const { service, impl } of ctrl.services)
    addService(server, service, impl as never, { log, logCalls: false });
  const listening = await listen(server, '127.0.0.1:0', insecureServer());
  const address = `127.0.0.1:${listening.port}`;
  const notify = controllerNotifyServer({
    reg,
    cache: ctrl.cache,
    ...ctrl.notify,
    requireAccessKey: opts.requireNotifyAccessKey ?? false,
    badAuthDelayMs: 0,
    log,
  });
  const notifyGrpc = createServer();
  notify.register(notifyGrpc, { log, logCalls: false });
  const notifyListening = await listen(notifyGrpc, `127.0.0.1:${opts.notifyPort ?? 0}`, insecureServer());
  const clients: { close(): void }[] = [];
  return {
    reg,
    ctrl,
    kv,
    address,
    notify,
    notifyAddress: `127.0.0.1:${notifyListening.port}`,
    client: <S extends DescService>(service: S) => {
      const c = createClient(service, address, { credentials: insecureClient() });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await notify.server.close();
      await notifyListening.close(100);
      await listening.close(100);
      await ctrl.stop();
      if (ownsStore) await kv.close();
    },
  };
}

/** Collects a server stream. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
