import { EARTH_RADIUS_KM, toXyz } from './geo';

/** A point of the index: where it is and what it stands for. */
export interface Located {
  readonly lat: number;
  readonly lon: number;
}

/**
 * A static 3-d tree over points on the unit sphere. Straight-line (chord) distance is
 * monotone in great-circle distance, so nearest-by-chord is nearest-by-haversine, with no
 * trouble at the poles or the antimeridian. A query visits O(log n) nodes for the nearest
 * points, so the cost of a selection does not grow with the number of instances.
 *
 * Built once per change batch (the owner rebuilds lazily); queries allocate nothing beyond
 * the caller's output array.
 */
export class SpatialIndex<T extends Located> {
  /** Items in tree order: node i is the median of its range. */
  private readonly items: T[];
  private readonly xyz: Float64Array;
  private readonly axis: Uint8Array;
  private readonly q = new Float64Array(3);
  private qx = 0;
  private qy = 0;
  private qz = 0;
  private best = Infinity;
  /** bound() squared, kept current whenever `best` changes (the search compares with it per node). */
  private bound2 = Infinity;
  private limit = 1;
  private slack = 0;
  /** Points within the bound so far: `found[0..count)` with their squared chords. */
  private found = new Int32Array(64);
  private foundD2 = new Float64Array(64);
  private count = 0;

  constructor(points: readonly T[]) {
    const n = points.length;
    const coords = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) toXyz(points[i]!.lat, points[i]!.lon, coords, i * 3);
    const order = Array.from({ length: n }, (_, i) => i);
    this.items = new Array<T>(n);
    this.xyz = new Float64Array(n * 3);
    this.axis = new Uint8Array(n);
    this.build(points, coords, order, 0, n);
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * Items whose distance is at most the `limit`-th smallest plus `slackKm` (unordered), into
   * `out`. With slack 0 that is the `limit` nearest (plus exact ties). Nothing farther than
   * `maxKm` is wanted (a bound the caller already has from another index). `xyz`: the query
   * point's `toXyz`, when the caller searches several indexes for one point.
   */
  nearest(
    lat: number,
    lon: number,
    limit: number,
    slackKm: number,
    out: T[],
    maxKm = Infinity,
    xyz?: Float64Array,
  ): void {
    const n = this.items.length;
    if (n === 0) return;
    const q = xyz ?? this.q;
    if (!xyz) toXyz(lat, lon, q, 0);
    this.qx = q[0]!;
    this.qy = q[1]!;
    this.qz = q[2]!;
    this.best = Infinity;
    // Chord ≤ arc on the unit sphere: maxKm / R bounds the chord of anything within maxKm.
    const maxChord = maxKm / EARTH_RADIUS_KM;
    this.bound2 = maxChord * maxChord;
    this.limit = limit;
    // d(chord)/d(arc) ≤ 1, so arc + slack is within chord + slack (unit sphere).
    this.slack = slackKm / EARTH_RADIUS_KM;
    this.count = 0;
    this.search(0, n);
    const b2 = this.bound2;
    for (let i = 0; i < this.count; i++) {
      if (this.foundD2[i]! <= b2) out.push(this.items[this.found[i]!]!);
    }
  }

  /** Current pruning radius (chord): the limit-th best so far plus the slack. */
  private bound(): number {
    // The small factor keeps the limit-th point itself inside despite sqrt rounding.
    return this.best === Infinity ? Infinity : (Math.sqrt(this.best) + this.slack) * (1 + 1e-9);
  }

  private search(lo: number, hi: number): void {
    if (lo >= hi) return;
    const mid = (lo + hi) >>> 1;
    const o = mid * 3;
    const dx = this.xyz[o]! - this.qx;
    const dy = this.xyz[o + 1]! - this.qy;
    const dz = this.xyz[o + 2]! - this.qz;
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 <= this.bound2) this.add(mid, d2);
    const ax = this.axis[mid]!;
    const diff = ax === 0 ? -dx : ax === 1 ? -dy : -dz; // query minus node along the axis
    const first = diff < 0;
    if (first) this.search(lo, mid);
    else this.search(mid + 1, hi);
    if (diff * diff <= this.bound2) {
      if (first) this.search(mid + 1, hi);
      else this.search(lo, mid);
    }
  }

  /** Records a point and tightens `best` (the limit-th smallest d2 seen). */
  private add(idx: number, d2: number): void {
    if (this.count === this.found.length) this.grow();
    this.found[this.count] = idx;
    this.foundD2[this.count] = d2;
    const count = ++this.count;
    if (count < this.limit) return;
    if (this.limit === 1) {
      if (d2 >= this.best) return;
      this.best = d2;
    } else {
      // limit-th smallest of what was found (small arrays: a partial sort is cheap).
      this.best = this.foundD2.slice(0, count).sort()[this.limit - 1]!;
    }
    const b = this.bound();
    this.bound2 = Math.min(this.bound2, b * b);
    if (count > 64) this.compact();
  }

  private grow(): void {
    const found = new Int32Array(this.found.length * 2);
    found.set(this.found);
    const d2 = new Float64Array(this.foundD2.length * 2);
    d2.set(this.foundD2);
    this.found = found;
    this.foundD2 = d2;
  }

  private compact(): void {
    const b2 = this.bound2;
    let w = 0;
    for (let r = 0; r < this.count; r++) {
      if (this.foundD2[r]! <= b2) {
        this.found[w] = this.found[r]!;
        this.foundD2[w] = this.foundD2[r]!;
        w++;
      }
    }
    this.count = w;
  }

  private build(points: readonly T[], coords: Float64Array, order: number[], lo: number, hi: number): void {
    if (lo >= hi) return;
    // Split on the axis of largest spread.
    let min0 = Infinity,
      min1 = Infinity,
      min2 = Infinity,
      max0 = -Infinity,
      max1 = -Infinity,
      max2 = -Infinity;
    for (let i = lo; i < hi; i++) {
      const o = order[i]! * 3;
      const x = coords[o]!,
        y = coords[o + 1]!,
        z = coords[o + 2]!;
      if (x < min0) min0 = x;
      if (x > max0) max0 = x;
      if (y < min1) min1 = y;
      if (y > max1) max1 = y;
      if (z < min2) min2 = z;
      if (z > max2) max2 = z;
    }
    const s0 = max0 - min0,
      s1 = max1 - min1,
      s2 = max2 - min2;
    const ax = s0 >= s1 && s0 >= s2 ? 0 : s1 >= s2 ? 1 : 2;
    const part = order.slice(lo, hi).sort((a, b) => coords[a * 3 + ax]! - coords[b * 3 + ax]!);
    for (let i = lo; i < hi; i++) order[i] = part[i - lo]!;
    const mid = (lo + hi) >>> 1;
    const p = order[mid]!;
    this.items[mid] = points[p]!;
    this.xyz[mid * 3] = coords[p * 3]!;
    this.xyz[mid * 3 + 1] = coords[p * 3 + 1]!;
    this.xyz[mid * 3 + 2] = coords[p * 3 + 2]!;
    this.axis[mid] = ax;
    this.build(points, coords, order, lo, mid);
    this.build(points, coords, order, mid + 1, hi);
  }
}
