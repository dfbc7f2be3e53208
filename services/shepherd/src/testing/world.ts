// Test world: an in-process notify parent (standing in for the CRM) over a MemorySource,
// Shepherds connected to it, and TCP servers standing in for AppInst ports.
import {
  create,
  createRegistry,
  type DescMessage,
  type Message,
  type MessageInitShape,
} from '@bufbuild/protobuf';
import { MemorySink, MemorySource, NotifyServer, registryCodec } from '@edge/notify';
import { ObjectRegistry, allFiles, dme, edgeproto } from '@edge/proto';
import { createServer, insecureServer, listen, type Listening } from '@edge/rpc';
import { createShepherd, type Shepherd, type ShepherdDeps } from '../shepherd';
import { TcpPorts } from './tcp-ports';

export const CLOUDLET = { organization: 'op', name: 'c1' };
export const REGION = 'local';
const TS = edgeproto.TrackedState;

const ORDER: Record<string, number> = {
  'edgeproto.Settings': 0,
  'edgeproto.Flavor': 0,
  'edgeproto.Cloudlet': 1,
  'edgeproto.AlertPolicy': 1,
  'edgeproto.App': 2,
  'edgeproto.ClusterInst': 3,
  'edgeproto.AppInst': 4,
};

/** The init object of a message (fields to set), not a message itself. */
export type Init<S extends DescMessage> = Exclude<MessageInitShape<S>, Message>;

const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

/** Settings with Shepherd intervals in ms. */
export function settings(
  o: { healthMs?: number; retries?: number; collectionMs?: number } = {},
): edgeproto.Settings {
  return create(edgeproto.SettingsSchema, {
    shepherdHealthCheckInterval: ns(o.healthMs ?? 100),
    shepherdHealthCheckRetries: o.retries ?? 2,
    shepherdMetricsCollectionInterval: ns(o.collectionMs ?? 100),
  });
}

export function cloudlet(platformType = edgeproto.PlatformType.FAKE): edgeproto.Cloudlet {
  return create(edgeproto.CloudletSchema, { key: CLOUDLET, platformType, state: TS.READY });
}

export function flavor(name = 'f1', ramMb = 1024n, diskGb = 10n): edgeproto.Flavor {
  return create(edgeproto.FlavorSchema, { key: { name }, ram: ramMb, vcpus: 2n, disk: diskGb });
}

export function app(name: string, init: Init<typeof edgeproto.AppSchema> = {}): edgeproto.App {
  return create(edgeproto.AppSchema, {
    key: { organization: 'dev', name, version: '1.0' },
    deployment: 'docker',
    defaultFlavor: { name: 'f1' },
    ...init,
  });
}

const clusterInstKey = (cluster: string) => ({
  clusterKey: { name: cluster },
  cloudletKey: CLOUDLET,
  organization: 'dev',
});

export function clusterInst(cluster = 'k1'): edgeproto.ClusterInst {
  return create(edgeproto.ClusterInstSchema, { key: clusterInstKey(cluster), state: TS.READY });
}

/** A READY AppInst of App `name` in cluster k1 whose mapped TCP ports are `ports`. */
export function appInst(
  name: string,
  ports: number[],
  init: Init<typeof edgeproto.AppInstSchema> = {},
): edgeproto.AppInst {
  return create(edgeproto.AppInstSchema, {
    key: { appKey: { organization: 'dev', name, version: '1.0' }, clusterInstKey: clusterInstKey('k1') },
    state: TS.READY,
    mappedPorts: ports.map((p) => ({ proto: dme.LProto.TCP, internalPort: p, publicPort: p })),
    ...init,
  });
}

/** Resolves when `cond()` holds; fails after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A notify parent with the cloudlet's objects, Shepherds under it, and TCP servers. */
export class World {
  readonly codec = registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));
  readonly source = new MemorySource({ keyJson: this.codec.keyJson, order: ORDER });
  /** What Shepherds send up: Alerts (objects) and Metrics (messages). */
  readonly sink = new MemorySink();
  private readonly ports = new TcpPorts();
  private readonly cleanups: (() => Promise<void>)[] = [];
  private address = '';

  /** Starts the parent. */
  async start(): Promise<void> {
    const server = new NotifyServer({
      ...this.codec,
      source: this.source,
      sink: this.sink,
      accepts: ['edgeproto.Alert'],
      messageTypes: ['edgeproto.Metric'],
      name: 'crm',
    });
    const grpc = createServer();
    server.register(grpc, { logCalls: false });
    const listening: Listening = await listen(grpc, '127.0.0.1:0', insecureServer());
    this.address = `127.0.0.1:${listening.port}`;
    this.cleanups.push(async () => {
      await server.close();
      await listening.close(1000);
    });
  }

  /** A started Shepherd of cloudlet c1 under the parent. */
  shepherd(extra: Partial<ShepherdDeps> = {}): Shepherd {
    const s = createShepherd({
      cloudletKey: CLOUDLET,
      region: REGION,
      notifyAddrs: [this.address],
      notify: { backoff: { initialMs: 20, maxMs: 200 }, ackDelayMs: 10 },
      ...extra,
    });
    s.start();
    this.cleanups.push(() => s.stop());
    return s;
  }

  /** Listens on `port` (0: a free one) on 127.0.0.1; returns the port. */
  openPort(port = 0): Promise<number> {
    return this.ports.openPort(port);
  }

  /** Stops listening on `port` (and drops its connections). */
  closePort(port: number): Promise<void> {
    return this.ports.closePort(port);
  }

  /** Alerts the Shepherds have up now. */
  alerts(): edgeproto.Alert[] {
    return [...(this.sink.objects.get('edgeproto.Alert')?.values() ?? [])].map(
      (h) => h.obj as edgeproto.Alert,
    );
  }

  /** Metric messages received so far (of `name`, when given). */
  metrics(name?: string): edgeproto.Metric[] {
    return this.sink.messages
      .filter((m) => m.type === 'edgeproto.Metric')
      .map((m) => m.msg as edgeproto.Metric)
      .filter((m) => name === undefined || m.name === name);
  }

  /** Shepherds first, then the parent and the ports. */
  async cleanup(): Promise<void> {
    for (const c of this.cleanups.splice(0).reverse()) await c();
    await this.ports.closeAll();
  }
}
