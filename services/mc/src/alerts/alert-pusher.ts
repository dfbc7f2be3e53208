import type { Logger } from '@edge/log';
import type { edgeproto } from '@edge/proto';
import { toPostableAlert, type PostableAlert } from './alert-labels';
import type { AlertmanagerApi } from './alertmanager-client';
import type { RegionAlertCache } from './region-alert-cache';

/** What {@link AlertPusher} needs. */
export interface AlertPusherOptions {
  readonly am: AlertmanagerApi;
  /** The current alerts, per region. */
  readonly caches: () => readonly RegionAlertCache[];
  /** Alerts end this long after they were last sent (the original's `-alertResolveTimeout`). */
  readonly resolveTimeoutMs: number;
  readonly now: () => number;
  readonly log: Logger;
}

/** The original's refresh rate: every 30 s, or a third of the resolve timeout when that is shorter. */
export function alertRefreshInterval(resolveTimeoutMs: number): number {
  return Math.max(1, Math.min(30_000, Math.floor(resolveTimeoutMs / 3)));
}

/**
 * Keeps Alertmanager's view of the regions' alerts current: all of them every refresh
 * interval with `endsAt` = now + resolve timeout (so an alert nobody re-sends resolves by
 * itself, e.g. when the MC is down), a new or changed alert at once, and a gone one at once
 * with `endsAt` = now so it resolves without waiting. Sends are serialised, so a periodic
 * snapshot can never overtake a later resolve.
 */
export class AlertPusher {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: AlertPusherOptions) {}

  start(): void {
    const every = alertRefreshInterval(this.opts.resolveTimeoutMs);
    this.timer = setInterval(() => void this.pushAll(), every);
  }

  /** Sends every current alert. */
  pushAll(): Promise<void> {
    return this.enqueue(() => {
      const endsAt = new Date(this.opts.now() + this.opts.resolveTimeoutMs);
      const out: PostableAlert[] = [];
      for (const cache of this.opts.caches())
        for (const a of cache.list()) {
          const p = toPostableAlert(a, cache.region, endsAt);
          if (p) out.push(p);
        }
      return out;
    });
  }

  /** A region's alert changed: sends it (firing), or its end (resolved now) when it went away. */
  pushChange(
    region: string,
    now: edgeproto.Alert | undefined,
    before: edgeproto.Alert | undefined,
  ): Promise<void> {
    return this.enqueue(() => {
      const alert = now ?? before;
      if (!alert) return [];
      const endsAt = new Date(this.opts.now() + (now ? this.opts.resolveTimeoutMs : 0));
      const p = toPostableAlert(alert, region, endsAt);
      return p ? [p] : [];
    });
  }

  /** Stops the timer and waits for sends under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.chain;
  }

  private enqueue(build: () => PostableAlert[]): Promise<void> {
    this.chain = this.chain.then(async () => {
      const alerts = build();
      if (alerts.length === 0) return;
      try {
        await this.opts.am.postAlerts(alerts);
      } catch (err) {
        this.opts.log.warn({ err, alerts: alerts.length }, 'sending alerts to alertmanager failed');
      }
    });
    return this.chain;
  }
}
