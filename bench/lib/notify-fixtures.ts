// Pieces of bench/notify: realistic objects, a codec over the real schema, a parent on
// loopback, "hollow" children (NotifyClients with a MemorySink, no infrastructure), RSS sampling.
import { create, createRegistry, type Message } from '@bufbuild/protobuf';
import { allFiles, dme, edgeproto, ObjectRegistry } from '@edge/proto';
import {
  MemorySink,
  MemorySource,
  NotifyClient,
  registryCodec,
  type Change,
  type ConnectionInfo,
  type NotifyCodec,
} from '@edge/notify';

export const FLAVOR = 'edgeproto.Flavor';
export const APP_INST = 'edgeproto.AppInst';
export const WANTS = [FLAVOR, APP_INST] as const;
const ORDER: Record<string, number> = { [FLAVOR]: 0, [APP_INST]: 3 };

/** A codec over the whole schema. */
export function benchCodec(): NotifyCodec {
  return registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));
}

/** A MemorySource ranking Flavor before AppInst. */
export function benchSource(codec: NotifyCodec, maxLog = 1000): MemorySource {
  return new MemorySource({ keyJson: codec.keyJson, order: ORDER, maxLog });
}

export function flavor(i: number, ram = 4096): Message {
  return create(edgeproto.FlavorSchema, {
    key: { name: `flavor-${i % 50}` },
    ram: BigInt(ram),
    vcpus: 2n,
    disk: 40n,
  });
}

/** An AppInst of a realistic size (≈ 400 bytes encoded): key, location, ports, runtime. */
export function appInst(i: number, gen = 0): Message {
  const cloudlet = `cloudlet-${String(i % 100).padStart(3, '0')}`;
  const name = `app-${String(i).padStart(6, '0')}`;
  return create(edgeproto.AppInstSchema, {
    key: {
      appKey: { organization: 'acme-dev', name, version: '1.0.0' },
      clusterInstKey: {
        clusterKey: { name: `autocluster-${name}` },
        cloudletKey: { organization: 'telco-op', name: cloudlet },
        organization: 'acme-dev',
      },
    },
    cloudletLoc: { latitude: 52.52 + (i % 10) / 100, longitude: 13.405 + (i % 7) / 100 },
    uri: `${name}.${cloudlet}.telco-op.mobiledgex.net`,
    mappedPorts: [
      { proto: dme.LProto.TCP, internalPort: 443, publicPort: 10000 + (i % 5000), tls: true },
      { proto: dme.LProto.UDP, internalPort: 8001, publicPort: 20000 + (i % 5000) },
    ],
    flavor: { name: `flavor-${i % 50}` },
    state: edgeproto.TrackedState.READY,
    runtimeInfo: { containerIds: [`${name}-deployment-7c9f8b6d5-x${i % 97}`] },
    createdAt: { seconds: 1_700_000_000n + BigInt(i), nanos: 0 },
    revision: `rev-${gen}`,
    healthCheck: dme.HealthCheck.OK,
    powerState: edgeproto.PowerState.POWER_ON,
    vmFlavor: 'm4.medium',
    uniqueId: `acme-dev-${name}-${cloudlet}-${i.toString(16)}`,
  });
}

/** Fills `source` with `n` objects (one Flavor per 50 AppInsts), one commit each. */
export function fill(source: MemorySource, n: number): void {
  for (let i = 0; i < n; i++) source.put(i % 51 === 50 ? flavor(i) : appInst(i));
}

/** A MemorySink that calls `onApply` after each change (client-side timestamps). */
export class TimedSink extends MemorySink {
  onApply: ((change: Change) => void) | undefined;

  constructor() {
    super({ history: false });
  }

  override apply(change: Change, connection: ConnectionInfo): void {
    super.apply(change, connection);
    this.onApply?.(change);
  }
}

/** A NotifyServer on a loopback port (the engine's test fixture). */
export { startParent, type Parent as BenchParent } from '../../packages/notify/src/testing/fixtures';

/** A hollow child: a NotifyClient with a TimedSink. */
export interface Child {
  readonly client: NotifyClient;
  readonly sink: TimedSink;
}

/**
 * `count` started children of `address`. Child i rides HTTP/2 connection i % `connections`
 * (grpc-js shares a subchannel between clients whose channel options are equal).
 */
export function startChildren(
  codec: NotifyCodec,
  address: string,
  count: number,
  connections: number,
  initialRevision = 0,
  prefix = 'child',
): Child[] {
  return Array.from({ length: count }, (_, i) => {
    const sink = new TimedSink();
    const client = new NotifyClient({
      ...codec,
      addresses: [address],
      name: `${prefix}-${i}`,
      wants: WANTS,
      sink,
      initialRevision,
      backoff: { initialMs: 100, maxMs: 1000 },
      rpc: { channelOptions: { 'bench.connection': i % connections } },
    });
    client.start();
    return { client, sink };
  });
}

/** Stops children a batch at a time. */
export async function stopChildren(children: readonly Child[]): Promise<void> {
  for (let i = 0; i < children.length; i += 100) {
    await Promise.all(children.slice(i, i + 100).map((c) => c.client.stop()));
  }
}

/** Resolves when `cond()` holds; fails after `timeoutMs`. */
export async function waitFor(
  cond: () => boolean,
  timeoutMs: number,
  what: string,
  stepMs = 5,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Samples process RSS every `everyMs`; `peak()` is the highest seen (MB) since `reset()`. */
export class RssSampler {
  private peakBytes = 0;
  private overallBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 25) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    this.peakBytes = Math.max(this.peakBytes, rss);
    this.overallBytes = Math.max(this.overallBytes, rss);
  }

  /** Starts a new window (the overall peak is kept). */
  reset(): void {
    this.peakBytes = process.memoryUsage.rss();
  }

  /** Peak of the current window, MB. */
  peak(): number {
    this.sample();
    return this.peakBytes / 2 ** 20;
  }

  /** Peak of the whole run, MB. */
  overall(): number {
    this.sample();
    return this.overallBytes / 2 ** 20;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The `q` quantile of `xs` (nearest rank below), 0 for none. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
