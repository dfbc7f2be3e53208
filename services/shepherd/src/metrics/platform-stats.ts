import { edgeproto } from '@edge/proto';
import { deterministicStats } from './deterministic-stats';
import { localStats } from './local-stats';
import type { StatsSource, StatsSourceFactory } from './stats-source';

/** Stats sources by platform type name (`PLATFORM_TYPE_LOCAL`, …); others get the deterministic one. */
export type StatsSources = Readonly<Partial<Record<string, StatsSourceFactory>>>;

/** The built-in collectors: `local` measures this host's processes. */
export const DEFAULT_STATS_SOURCES: StatsSources = {
  PLATFORM_TYPE_LOCAL: () => localStats(),
};

/** The name of a platform type, e.g. `PLATFORM_TYPE_LOCAL`. */
export function platformTypeName(p: edgeproto.PlatformType): string {
  return edgeproto.PlatformTypeSchema.values.find((v) => v.number === p)?.name ?? String(p);
}

/** Builds (once per platform) the stats source of the platform a cloudlet runs on. */
export class PlatformStats {
  private readonly built = new Map<string, StatsSource>();

  constructor(private readonly sources: StatsSources) {}

  for(platform: edgeproto.PlatformType): StatsSource {
    const name = platformTypeName(platform);
    let s = this.built.get(name);
    if (!s) this.built.set(name, (s = (this.sources[name] ?? deterministicStats)()));
    return s;
  }
}
