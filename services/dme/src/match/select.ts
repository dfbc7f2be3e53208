import type { DmeTable } from '../state/dme-table';
import type { CarrierBucket, DmeApp, DmeInst, DmePolicy } from '../state/model';
import type { AutoProvStats } from './autoprov-stats';
import { distanceKm, toXyz } from './geo';
import { SpatialIndex } from './spatial-index';

/** Two distances closer than this are "the same place" (VeryCloseDistanceKm). */
export const VERY_CLOSE_KM = 1;
/** Padding of public-cloud instances when a cellular carrier was named. */
export const PUBLIC_CLOUD_PAD_KM = 100;
/** Farther than anything on Earth (InfiniteDistance). */
export const INFINITE_DISTANCE_KM = 100000;
const PUBLIC_CLOUDS = new Set(['azure', 'gcp', 'aws']);

/** One selected instance. */
export interface Found {
  readonly inst: DmeInst;
  /** Distance in km, padded for public clouds when a carrier was named. */
  readonly distance: number;
  /** The carrier bucket it was found in. */
  readonly carrier: string;
}

export interface SelectorOptions {
  /** Random source in [0,1) for spreading load between very close instances; default Math.random. */
  random?: () => number;
  /** OptionFindCloudletRandomizeVeryClose; default true. */
  randomizeVeryClose?: boolean;
  /** Where auto-provisioning demand is counted (step 7); none = not counted. */
  autoProv?: AutoProvStats;
}

/**
 * The original FindCloudlet search (reference §4.4), over per-(app, carrier) spatial
 * indexes of the usable instances.
 */
export class Selector {
  private readonly random: () => number;
  private readonly randomize: boolean;
  /** The current query point on the unit sphere, shared by the indexes one find searches. */
  private readonly query = new Float64Array(3);

  constructor(
    private readonly table: DmeTable,
    private readonly options: SelectorOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.randomize = options.randomizeVeryClose ?? true;
  }

  /** Operator code (MCC+MNC) → operator organization; unknown names pass unchanged. */
  translateCarrier(name: string): string {
    return this.table.operatorCodes.get(name) ?? name;
  }

  /** The best `limit` usable instances of `app` for a client at lat/lon asking for `carrierName`. */
  find(app: DmeApp, carrierName: string, lat: number, lon: number, limit: number): Found[] {
    const carrier = this.translateCarrier(carrierName);
    toXyz(lat, lon, this.query, 0);
    const cand: Found[] = [];
    if (carrier === '') {
      // Every carrier, no padding, no alliance: one index over all of them.
      this.collect(this.allIndex(app), undefined, 0, lat, lon, limit, cand, Infinity);
    } else {
      // Unpadded buckets first: what they find bounds the padded (public cloud) searches,
      // which then rarely get past their root.
      const padded: [string, CarrierBucket][] = [];
      for (const [cname, bucket] of app.carriers) {
        if (!searchCarrier(carrier, cname)) continue;
        if (padDistance(carrier, cname) > 0) padded.push([cname, bucket]);
        else {
          this.collect(bucket.index(), cname, 0, lat, lon, limit, cand, Infinity);
          // Not searching all carriers: include the alliance instances too.
          this.collect(bucket.allianceIdx(), cname, 0, lat, lon, limit, cand, Infinity);
        }
      }
      for (const [cname, bucket] of padded) {
        const pad = padDistance(carrier, cname);
        const max = this.cutoff(cand, limit) - pad;
        if (max < 0) continue;
        this.collect(bucket.index(), cname, pad, lat, lon, limit, cand, max);
        this.collect(bucket.allianceIdx(), cname, pad, lat, lon, limit, cand, max);
      }
    }
    const results = this.rank(cand, limit);
    if (app.policies.length > 0 && this.options.autoProv)
      this.countDemand(app, carrier, lat, lon, results[0]?.distance ?? INFINITE_DISTANCE_KM);
    return results;
  }

  private allIndex(app: DmeApp): SpatialIndex<DmeInst> {
    if (!app.allIndex) {
      const all: DmeInst[] = [];
      for (const b of app.carriers.values()) for (const i of b.insts.values()) if (i.usable) all.push(i);
      app.allIndex = new SpatialIndex(all);
    }
    return app.allIndex;
  }

  /**
   * The farthest (padded) distance a further candidate may have and still be ranked: the
   * `limit`-th best so far plus the very-close slack; infinite until there are `limit`.
   */
  private cutoff(cand: readonly Found[], limit: number): number {
    if (cand.length < limit) return Infinity;
    let d = Infinity;
    if (limit === 1) for (const f of cand) d = Math.min(d, f.distance);
    else d = cand.map((f) => f.distance).sort((a, b) => a - b)[limit - 1] as number;
    return d + (this.randomize ? VERY_CLOSE_KM : 0);
  }

  private collect(
    idx: SpatialIndex<DmeInst>,
    carrier: string | undefined,
    pad: number,
    lat: number,
    lon: number,
    limit: number,
    out: Found[],
    maxKm: number,
  ): void {
    if (idx.size === 0) return;
    const s: DmeInst[] = [];
    idx.nearest(lat, lon, limit, this.randomize ? VERY_CLOSE_KM : 0, s, maxKm, this.query);
    for (const inst of s)
      out.push({
        inst,
        distance: distanceKm(lat, lon, inst.lat, inst.lon) + pad,
        carrier: carrier ?? inst.cloudletOrg,
      });
  }

  /** Sorted by (distance, key); then the original insertResult with the 1 km coin flip. */
  private rank(cand: Found[], limit: number): Found[] {
    if (cand.length === 0) return cand;
    if (cand.length > 1) cand.sort(less);
    if (!this.randomize) return cand.length > limit ? cand.slice(0, limit) : cand;
    const last = cand[Math.min(limit, cand.length) - 1]!.distance;
    const results: Found[] = [];
    for (const f of cand) {
      if (f.distance - last >= VERY_CLOSE_KM) break;
      this.insert(results, f, limit);
    }
    return results;
  }

  private insert(results: Found[], f: Found, limit: number): void {
    for (let i = 0; i < results.length; i++) {
      const cur = results[i]!;
      if (Math.abs(f.distance - cur.distance) < VERY_CLOSE_KM) {
        if (this.random() > 0.5) continue;
      } else if (less(f, cur) >= 0) continue;
      results.splice(i, 0, f);
      if (results.length > limit) results.pop();
      return;
    }
    if (results.length < limit) results.push(f);
  }

  /** Step 7: counts a request that a policy cloudlet closer than `bestDist` could serve. */
  private countDemand(app: DmeApp, carrier: string, lat: number, lon: number, bestDist: number): void {
    let best: PolicySearch | undefined;
    for (const name of app.policies) {
      const policy = this.table.policies.get(JSON.stringify({ organization: app.org, name }));
      if (!policy || policy.deployClientCount === 0) continue;
      const pc: PolicySearch = { distance: bestDist, policy, cloudlet: undefined, freeInst: false };
      for (const [cname, list] of policy.cloudlets) {
        if (!searchCarrier(carrier, cname)) continue;
        const pad = padDistance(carrier, cname);
        for (const cl of list) {
          const pd = distanceKm(lat, lon, cl.lat, cl.lon) + pad;
          if (pd >= bestDist) continue;
          const free = this.table.hasFreeCluster(JSON.stringify(cl.key), app.deployment, app.defaultFlavor);
          if (pc.freeInst && !free) continue;
          if (pc.freeInst === free && pd > pc.distance) continue;
          pc.distance = pd;
          pc.freeInst = free;
          pc.cloudlet = cl.key;
        }
      }
      if (
        !best ||
        pc.distance < best.distance ||
        (pc.distance === best.distance &&
          intervals(pc.policy) <= intervals(best.policy) &&
          pc.policy.deployClientCount <= best.policy.deployClientCount)
      )
        best = pc;
    }
    if (best?.cloudlet) this.options.autoProv?.increment(app, best.cloudlet, best.policy);
  }
}

interface PolicySearch {
  distance: number;
  policy: DmePolicy;
  cloudlet: { organization: string; name: string } | undefined;
  freeInst: boolean;
}

const intervals = (p: DmePolicy): number => (p.intervalCount === 0 ? 1 : p.intervalCount);

/** Whether bucket `carrier` is searched for a request naming `requested` (after translation). */
export function searchCarrier(requested: string, carrier: string): boolean {
  return requested === '' || PUBLIC_CLOUDS.has(carrier) || requested === carrier;
}

/** +100 km for public clouds when a specific non-public carrier was named. */
export function padDistance(requested: string, carrier: string): number {
  if (!PUBLIC_CLOUDS.has(carrier) || requested === '' || requested === carrier) return 0;
  return PUBLIC_CLOUD_PAD_KM;
}

function less(a: Found, b: Found): number {
  if (a.distance !== b.distance) return a.distance - b.distance;
  return a.inst.key < b.inst.key ? -1 : a.inst.key > b.inst.key ? 1 : 0;
}
