// Helpers of the notify e2e tests: children of a real Controller, with in-memory sinks.
import { createRegistry, type Message } from '@bufbuild/protobuf';
import { MemorySink, NotifyClient, registryCodec, type NotifyClientOptions } from '@edge/notify';
import { allFiles, ObjectRegistry, type dme } from '@edge/proto';
import { accessKeyMetadata } from '../services/controller/src/access';
import type { ControllerHarness } from '../services/controller/src/testing/harness';
import { cloudletInfo, cloudletKey } from '../services/controller/src/notify/testing/fixtures';
import { CRM_WANTS } from '../services/crm/src/crm';

export { CRM_WANTS };

export { waitFor, within } from '../packages/notify/src/testing/fixtures';

/** The codec children use (the whole schema). */
export const codec = registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));

const E = (names: string[]): string[] => names.map((n) => `edgeproto.${n}`);
/** What the DME-like child wants. */
export const DME_WANTS = E(['Flavor', 'App', 'AppInst', 'Cloudlet']);

/** Children started by one test; `cleanup()` stops them. */
export class Children {
  private readonly started: NotifyClient[] = [];

  /** A started child of `addresses` with a MemorySink (or the given one). */
  start(
    addresses: string[],
    opts: Partial<Omit<NotifyClientOptions, 'sink'>> & { sink?: MemorySink } = {},
  ): { client: NotifyClient; sink: MemorySink } {
    const sink = opts.sink ?? new MemorySink();
    const client = new NotifyClient({
      ...codec,
      addresses,
      name: 'e2e-child',
      wants: DME_WANTS,
      backoff: { initialMs: 20, maxMs: 200 },
      ackDelayMs: 10,
      random: () => 0,
      ...opts,
      sink,
    });
    client.start();
    this.started.push(client);
    return { client, sink };
  }

  /** A CRM-like child of cloudlet `name`, signing its streams with `privatePem`. */
  crm(addresses: string[], name: string, privatePem: string): { client: NotifyClient; sink: MemorySink } {
    return this.start(addresses, {
      name: `crm-${name}`,
      wants: CRM_WANTS,
      filterCloudletKey: true,
      metadata: () => accessKeyMetadata(privatePem, cloudletKey(name)),
    });
  }

  async cleanup(): Promise<void> {
    for (const c of this.started.splice(0)) await c.stop();
  }
}

/** Reports CloudletInfo `state` of cloudlet `name` through `client` (as a CRM does). */
export function reportCloudlet(client: NotifyClient, name: string, state: dme.CloudletState): void {
  const info = cloudletInfo(name, state);
  client.update(INFO, codec.keyJson(INFO, info), info);
}

const INFO = 'edgeproto.CloudletInfo';

/** Key JSONs a sink holds of type `T` (short name), sorted. */
export const held = (sink: MemorySink, type: string): string[] => sink.keys(`edgeproto.${type}`);

/** Key JSONs the Controller caches of `type` (short name), sorted. */
export const cached = (h: ControllerHarness, type: string): string[] => {
  const t = h.reg.get(type);
  return h.ctrl.cache
    .type(type)
    .list()
    .map((o: Message) => t.keyJson(o))
    .sort();
};
