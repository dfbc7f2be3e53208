import { createRegistry } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import { NotifyClient, registryCodec } from '@edge/notify';
import { allFiles, type ObjectRegistry } from '@edge/proto';
import { RegionAlertCache, type AlertChange } from './region-alert-cache';

/** A region as the MC knows it (a row of `controllers`). */
export interface RegionRow {
  readonly region: string;
  /** `host:port` of the Controller API. */
  readonly address: string;
  /** `host:port` of its notify server; empty = the API host with `defaultNotifyPort`. */
  readonly notifyAddr: string;
}

/** How {@link RegionAlertFeeds} finds regions and reports alerts. */
export interface RegionAlertFeedsOptions {
  readonly reg: ObjectRegistry;
  /** The current regions (read on every poll). */
  readonly listRegions: () => Promise<readonly RegionRow[]>;
  /** Between two reads of the region list. */
  readonly pollMs: number;
  /** Every alert change of every region. */
  readonly onChange: AlertChange;
  /** The original's `-controllerNotifyPort` (50001), for regions without a NotifyAddr. */
  readonly defaultNotifyPort?: number;
  /** Notify node name of this MC. */
  readonly name?: string;
  readonly log: Logger;
}

interface Feed {
  readonly addr: string;
  readonly client: NotifyClient;
  readonly cache: RegionAlertCache;
}

/** The notify address of a region: its NotifyAddr, else its API host on the default notify port. */
export function notifyAddressOf(row: RegionRow, defaultPort = 50001): string {
  if (row.notifyAddr) return row.notifyAddr;
  const i = row.address.lastIndexOf(':');
  const host = i > 0 ? row.address.slice(0, i) : row.address;
  return host ? `${host}:${defaultPort}` : '';
}

/**
 * One notify child per region, subscribed to the region Controller's `Alert` objects (the
 * original MC's notify server role, turned around: the MC dials each Controller's notify
 * server, so no Controller change and no MC listener is needed). Follows the region list
 * by polling it: new regions are dialled, removed or re-addressed ones dropped (their
 * alerts reported gone).
 */
export class RegionAlertFeeds {
  private readonly feeds = new Map<string, Feed>();
  private readonly codec;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: RegionAlertFeedsOptions) {
    this.codec = registryCodec(opts.reg, createRegistry(...allFiles));
  }

  /** Reads the region list now and every `pollMs` after. */
  start(): void {
    const tick = (): void => {
      this.polling = this.refresh()
        .catch((err: unknown) => this.opts.log.warn({ err }, 'reading regions for alerts failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.opts.pollMs);
        });
    };
    tick();
  }

  /** Applies the current region list: connects new regions, drops gone ones. */
  async refresh(): Promise<void> {
    const rows = await this.opts.listRegions();
    if (this.stopped) return;
    const want = new Map<string, string>();
    for (const r of rows) {
      const addr = notifyAddressOf(r, this.opts.defaultNotifyPort);
      if (addr) want.set(r.region, addr);
    }
    for (const [region, feed] of [...this.feeds]) {
      if (want.get(region) === feed.addr) continue;
      this.feeds.delete(region);
      await this.drop(region, feed);
    }
    for (const [region, addr] of want) {
      if (this.feeds.has(region)) continue;
      const cache = new RegionAlertCache(region, this.opts.onChange);
      const client = new NotifyClient({
        ...this.codec,
        addresses: [addr],
        name: this.opts.name ?? 'mc',
        wants: ['edgeproto.Alert'],
        sink: cache,
        log: this.opts.log.child({ region }),
      });
      client.start();
      this.feeds.set(region, { addr, client, cache });
      this.opts.log.info({ region, notifyAddr: addr }, 'following region alerts');
    }
  }

  /** Every region's alert cache. */
  caches(): RegionAlertCache[] {
    return [...this.feeds.values()].map((f) => f.cache);
  }

  /** Whether the region's notify stream is up. */
  connected(region: string): boolean {
    return this.feeds.get(region)?.client.stats().connected ?? false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    for (const [region, feed] of [...this.feeds]) {
      this.feeds.delete(region);
      await feed.client.stop();
    }
  }

  private async drop(region: string, feed: Feed): Promise<void> {
    await feed.client.stop();
    feed.cache.clear();
    this.opts.log.info({ region }, 'no longer following region alerts');
  }
}
