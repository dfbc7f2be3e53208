import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { edgeproto } from '@edge/proto';
import { LATENCY_BUCKETS, RollingStats } from './statistics';

/** The AppInst a stat is about, as metric tags (app, apporg, ver, cloudlet, cloudletorg, cluster, clusterorg). */
export interface InstTags {
  app: string;
  apporg: string;
  ver: string;
  cloudlet: string;
  cloudletorg: string;
  cluster: string;
  clusterorg: string;
}

/** What the device told about itself (DeviceInfoStatic + DeviceInfoDynamic). */
export interface DeviceTags {
  deviceos: string;
  devicemodel: string;
  devicecarrier: string;
  datanetworktype: string;
  signalstrength: string;
}

interface Entry {
  name: 'latency-metric' | 'device-metric' | 'custom-metric';
  tags: [string, string][];
  latency?: RollingStats;
  sessions?: bigint;
}

/**
 * Edge-events statistics of this DME, per AppInst and location tile, sent up as Metrics by
 * `flush()` (every Settings `edge_events_metrics_collection_interval`):
 * - `latency-metric`: latency samples per (AppInst, tile, device) — bucket counts `0s`…`100ms`,
 *   `avg`, `min`, `max`, `variance`, `stddev`, `numsamples`;
 * - `device-metric`: `numsessions` per (AppInst, tile, device) at stream init;
 * - `custom-metric`: samples of EVENT_CUSTOM_EVENT per (AppInst, `statname`).
 * Only changed entries are sent; they are reset after sending.
 */
export class EdgeEventsMetrics {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly self: { cloudletOrg: string; cloudlet: string },
    private readonly send: (m: edgeproto.Metric) => void,
    private readonly now: () => number = Date.now,
  ) {}

  recordLatency(inst: InstTags, tile: string, device: DeviceTags, values: readonly number[]): void {
    if (values.length === 0) return;
    const e = this.entry('latency-metric', inst, [['locationtile', tile], ...Object.entries(device)]);
    (e.latency ??= new RollingStats()).add(values);
  }

  recordSession(inst: InstTags, tile: string, device: DeviceTags): void {
    const e = this.entry('device-metric', inst, [['locationtile', tile], ...Object.entries(device)]);
    e.sessions = (e.sessions ?? 0n) + 1n;
  }

  recordCustom(inst: InstTags, statName: string, values: readonly number[]): void {
    const e = this.entry('custom-metric', inst, [['statname', statName]]);
    e.latency ??= new RollingStats();
    e.sessions = (e.sessions ?? 0n) + 1n;
    e.latency.add(values);
  }

  /** Sends every entry recorded since the last flush, then forgets them. */
  flush(): void {
    const timestamp = timestampFromMs(this.now());
    for (const e of this.entries.values()) {
      const tags = [
        ['dmecloudlet', this.self.cloudlet],
        ['dmecloudletorg', this.self.cloudletOrg],
        ...e.tags,
      ].map(([name, val]) => ({ name: name!, val: val! }));
      const vals: edgeproto.MetricVal[] = [];
      const d = (name: string, value: number) =>
        vals.push(create(edgeproto.MetricValSchema, { name, value: { case: 'dval', value } }));
      const i = (name: string, value: bigint) =>
        vals.push(create(edgeproto.MetricValSchema, { name, value: { case: 'ival', value } }));
      const s = e.latency;
      if (e.name === 'device-metric') i('numsessions', e.sessions ?? 0n);
      if (e.name === 'custom-metric') i('count', e.sessions ?? 0n);
      if (s) {
        if (e.name === 'latency-metric')
          LATENCY_BUCKETS.forEach((b, k) => i(b.name, BigInt(s.buckets[k] ?? 0)));
        d('avg', s.avg);
        d('min', s.min);
        d('max', s.max);
        d('variance', s.variance);
        d('stddev', Math.sqrt(s.variance));
        i('numsamples', BigInt(s.n));
      }
      this.send(create(edgeproto.MetricSchema, { name: e.name, timestamp, tags, vals }));
    }
    this.entries.clear();
  }

  private entry(name: Entry['name'], inst: InstTags, extra: [string, string][]): Entry {
    const tags: [string, string][] = [...Object.entries(inst), ...extra];
    const k = `${name}\0${JSON.stringify(tags)}`;
    let e = this.entries.get(k);
    if (!e) this.entries.set(k, (e = { name, tags }));
    return e;
  }
}
