import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { edgeproto } from '@edge/proto';
import type { DmeApp, DmePolicy } from '../state/model';

/** Cluster the Controller deploys into for immediate auto-provisioning (AutoProvClusterName). */
export const AUTOPROV_CLUSTER = 'autocluster-autoprov';
export const MOBILEDGEX_ORG = 'MobiledgeX';

interface Counter {
  appKey: { organization: string; name: string; version: string };
  cloudletKey: { organization: string; name: string };
  count: bigint;
  last: bigint;
}

/**
 * Auto-provisioning demand per (app, cloudlet) (the original's AutoProvStats): counted by
 * FindCloudlet, sent up as AutoProvCounts by `flush()` (called periodically), or at once
 * with `process_now` when a single-interval policy's count is reached.
 */
export class AutoProvStats {
  private readonly counts = new Map<string, Counter>();

  constructor(
    private readonly nodeName: string,
    private readonly send: (counts: edgeproto.AutoProvCounts) => void,
    private readonly now: () => number = Date.now,
  ) {}

  increment(app: DmeApp, cloudletKey: { organization: string; name: string }, policy: DmePolicy): void {
    const k = `${app.keyJson}|${JSON.stringify(cloudletKey)}`;
    let c = this.counts.get(k);
    if (!c) {
      c = {
        appKey: { organization: app.org, name: app.name, version: app.version },
        cloudletKey: { ...cloudletKey },
        count: 0n,
        last: 0n,
      };
      this.counts.set(k, c);
    }
    c.count++;
    if (c.count - c.last >= BigInt(policy.deployClientCount) && policy.intervalCount <= 1) {
      this.send(
        create(edgeproto.AutoProvCountsSchema, {
          dmeNodeName: this.nodeName,
          counts: [
            {
              appKey: c.appKey,
              cloudletKey: c.cloudletKey,
              count: c.count,
              processNow: true,
              deployNowKey: {
                clusterKey: { name: AUTOPROV_CLUSTER },
                cloudletKey: c.cloudletKey,
                organization: MOBILEDGEX_ORG,
              },
            },
          ],
        }),
      );
    }
  }

  /** Sends the counters that changed since the last flush. */
  flush(): void {
    const counts: edgeproto.AutoProvCount[] = [];
    for (const c of this.counts.values()) {
      if (c.count === c.last) continue;
      c.last = c.count;
      counts.push(
        create(edgeproto.AutoProvCountSchema, {
          appKey: c.appKey,
          cloudletKey: c.cloudletKey,
          count: c.count,
        }),
      );
    }
    if (counts.length === 0) return;
    this.send(
      create(edgeproto.AutoProvCountsSchema, {
        dmeNodeName: this.nodeName,
        timestamp: timestampFromMs(this.now()),
        counts,
      }),
    );
  }

  /** Forgets the counters of apps no longer present. */
  prune(apps: ReadonlyMap<string, unknown>): void {
    for (const k of this.counts.keys()) if (!apps.has(k.split('|')[0]!)) this.counts.delete(k);
  }
}
