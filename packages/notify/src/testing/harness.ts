// Test harness: parents and children on loopback that the test's afterEach tears down.
import { NotifyClient, type NotifyClientOptions } from '../notify-client';
import type { ReplicaSink } from '../contract';
import type { NotifyServerOptions } from '../notify-server';
import { T, startParent, testCodec, type Parent } from './fixtures';
import { MemorySink } from './memory-sink';
import type { MemorySource } from './memory-source';

/** Parents and children started by one test, closed by `cleanup()`. */
export class Harness {
  readonly codec = testCodec();
  private readonly cleanups: (() => Promise<void>)[] = [];

  /** A parent serving `source`, with a MemorySink for what children send up. */
  async parent(
    source: MemorySource,
    extra: Partial<NotifyServerOptions> = {},
    port = 0,
  ): Promise<Parent & { sink: MemorySink }> {
    const sink = extra.sink instanceof MemorySink ? extra.sink : new MemorySink();
    const p = await startParent({ ...this.codec, source, name: 'ctrl', ...extra, sink }, port);
    this.cleanups.push(() => p.close());
    return { ...p, sink };
  }

  /** A started child (wanting Flavor, App, AppInst unless told) with a MemorySink. */
  child<S extends ReplicaSink = MemorySink>(
    address: string | string[],
    opts: Partial<Omit<NotifyClientOptions, 'sink'>> & { sink?: S } = {},
  ): { client: NotifyClient; sink: S } {
    const sink = opts.sink ?? (new MemorySink() as ReplicaSink as S);
    const client = new NotifyClient({
      ...this.codec,
      addresses: Array.isArray(address) ? address : [address],
      name: 'child',
      wants: [T.Flavor, T.App, T.AppInst],
      backoff: { initialMs: 20, maxMs: 200 },
      ackDelayMs: 10,
      ...opts,
      sink,
    });
    client.start();
    this.cleanups.push(() => client.stop());
    return { client, sink };
  }

  /** Stops everything, children first. */
  async cleanup(): Promise<void> {
    for (const c of this.cleanups.splice(0).reverse()) await c();
  }
}
