// Test fixtures: a codec over the real schema, a few objects, a parent on loopback.
import { create, createRegistry, type Message } from '@bufbuild/protobuf';
import { allFiles, type dme, edgeproto, ObjectRegistry } from '@edge/proto';
import { createServer, insecureServer, listen, type Listening } from '@edge/rpc';
import { registryCodec, type NotifyCodec } from '../codec';
import { NotifyServer, type NotifyServerOptions } from '../notify-server';
import { MemorySource } from './memory-source';

/** Type names used by the tests. */
export const T = {
  Flavor: 'edgeproto.Flavor',
  App: 'edgeproto.App',
  ClusterInst: 'edgeproto.ClusterInst',
  AppInst: 'edgeproto.AppInst',
  CloudletInfo: 'edgeproto.CloudletInfo',
  Metric: 'edgeproto.Metric',
} as const;

/** Dependency ranks of those types. */
export const ORDER: Record<string, number> = {
  [T.Flavor]: 0,
  [T.App]: 1,
  [T.ClusterInst]: 2,
  [T.AppInst]: 3,
};

/** A codec over the whole schema (built once per test file). */
export function testCodec(): NotifyCodec {
  return registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));
}

/** A MemorySource with the test ranks. */
export function testSource(codec: NotifyCodec, maxLog = 1000): MemorySource {
  return new MemorySource({ keyJson: codec.keyJson, order: ORDER, maxLog });
}

export const flavor = (name: string, ram = 1024): Message =>
  create(edgeproto.FlavorSchema, { key: { name }, ram: BigInt(ram) });

export const app = (name: string): Message =>
  create(edgeproto.AppSchema, { key: { organization: 'dev', name, version: '1' } });

export const appInst = (name: string, cloudlet: string): Message =>
  create(edgeproto.AppInstSchema, {
    key: {
      appKey: { organization: 'dev', name, version: '1' },
      clusterInstKey: {
        clusterKey: { name: 'c' },
        cloudletKey: { organization: 'op', name: cloudlet },
        organization: 'dev',
      },
    },
  });

export const cloudletInfo = (cloudlet: string, state: dme.CloudletState): Message =>
  create(edgeproto.CloudletInfoSchema, { key: { organization: 'op', name: cloudlet }, state });

export const metric = (name: string): Message => create(edgeproto.MetricSchema, { name });

/** A notify parent on a loopback port. */
export interface Parent {
  readonly server: NotifyServer;
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a NotifyServer on `port` (0: a free one). */
export async function startParent(options: NotifyServerOptions, port = 0): Promise<Parent> {
  const server = new NotifyServer(options);
  const grpcServer = createServer();
  server.register(grpcServer, { logCalls: false });
  const listening: Listening = await listen(grpcServer, `127.0.0.1:${port}`, insecureServer());
  return {
    server,
    address: `127.0.0.1:${listening.port}`,
    port: listening.port,
    close: async () => {
      await server.close();
      await listening.close(1000);
    },
  };
}

export { waitFor } from '@edge/testing';

/** `p`, or a failure after `timeoutMs`. */
export async function within<T>(p: Promise<T>, timeoutMs = 5000, what = 'promise'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
