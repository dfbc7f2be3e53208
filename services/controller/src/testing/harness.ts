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

/** A Controller served over gRPC on loopback, with a client factory; for tests. */
export interface ControllerHarness {
  readonly reg: ObjectRegistry;
  readonly ctrl: Controller;
  readonly kv: KVStore;
  readonly address: string;
  client<S extends DescService>(service: S): Client<S>;
  close(): Promise<void>;
}

/** Options: an existing store (to run two Controllers on one), or etcd endpoints, else a MemStore. */
export async function startController(
  opts: { kv?: KVStore; etcd?: string; region?: string; ownsStore?: boolean } = {},
): Promise<ControllerHarness> {
  const reg = new ObjectRegistry(allFiles);
  const kv = opts.kv ?? (opts.etcd ? new EtcdStore({ endpoints: [opts.etcd] }) : new MemStore());
  const ownsStore = opts.ownsStore ?? opts.kv === undefined;
  const log = silentLogger();
  const ctrl = createController({ reg, kv, region: opts.region ?? 'local', log });
  await ctrl.start();
  const server = createServer();
  for (const { service, impl } of ctrl.services)
    addService(server, service, impl as never, { log, logCalls: false });
  const listening = await listen(server, '127.0.0.1:0', insecureServer());
  const address = `127.0.0.1:${listening.port}`;
  const clients: { close(): void }[] = [];
  return {
    reg,
    ctrl,
    kv,
    address,
    client: <S extends DescService>(service: S) => {
      const c = createClient(service, address, { credentials: insecureClient() });
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
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
