import { invalidArgument } from '@edge/errors';
import type { Logger } from '@edge/log';
import type { Fields } from '../http/fields';
import type { McRoutes } from '../http/routes';
import { authorize, type Rbac } from '../rbac/authorize';
import { Resource } from '../rbac/matrix';
import type { Regions } from '../regions/regions';
import { influxString, queryInflux } from './influx-query';

/** Dependencies of the metrics and events queries. */
export interface MetricsDeps {
  readonly rbac: Rbac;
  readonly regions: Regions;
  readonly log: Logger;
}

/** The original's cap on returned points (`Config.MaxMetricsDataPoints`). */
const MAX_POINTS = 10_000;

/** One kind of query: where its key sits in the body, which tags it filters on, what it may select. */
interface QueryKind {
  readonly objField: string;
  readonly resource: string;
  /** Tag (or field) compared with the caller's org. */
  readonly orgTag: string;
  /** Body path (lowercase segments) → tag. */
  readonly filters: Readonly<Record<string, string>>;
  /** Selector → measurement; undefined for events (one measurement). */
  readonly selectors?: Readonly<Record<string, string>>;
  readonly measurement?: string;
}

const APP_FILTERS = {
  'app_key.name': 'app',
  'app_key.version': 'ver',
  'cluster_inst_key.cluster_key.name': 'cluster',
  'cluster_inst_key.organization': 'clusterorg',
  'cluster_inst_key.cloudlet_key.name': 'cloudlet',
  'cluster_inst_key.cloudlet_key.organization': 'cloudletorg',
};
const CLUSTER_FILTERS = {
  'cluster_key.name': 'cluster',
  'cloudlet_key.name': 'cloudlet',
  'cloudlet_key.organization': 'cloudletorg',
};

const METRICS: Readonly<Record<string, QueryKind & { orgPath: string }>> = {
  app: {
    objField: 'appinst',
    orgPath: 'app_key.organization',
    resource: Resource.AppAnalytics,
    orgTag: 'apporg',
    filters: APP_FILTERS,
    selectors: { cpu: 'appinst-cpu', mem: 'appinst-mem', connections: 'appinst-connections' },
  },
  cluster: {
    objField: 'clusterinst',
    orgPath: 'organization',
    resource: Resource.ClusterAnalytics,
    orgTag: 'clusterorg',
    filters: CLUSTER_FILTERS,
    selectors: { cpu: 'cluster-cpu', mem: 'cluster-mem' },
  },
  cloudlet: {
    objField: 'cloudlet',
    orgPath: 'organization',
    resource: Resource.CloudletAnalytics,
    orgTag: 'cloudletorg',
    filters: { name: 'cloudlet' },
    selectors: { utilization: 'cloudlet-utilization' },
  },
};

const EVENTS: Readonly<Record<string, QueryKind & { orgPath: string }>> = {
  app: { ...without(METRICS['app']), measurement: 'appinst' },
  cluster: { ...without(METRICS['cluster']), measurement: 'clusterinst' },
  cloudlet: { ...without(METRICS['cloudlet']), measurement: 'cloudlet' },
};

function without(k: (QueryKind & { orgPath: string }) | undefined): QueryKind & { orgPath: string } {
  const { selectors: _s, ...rest } = k as QueryKind & { orgPath: string };
  return rest;
}

function at(f: Fields, path: string): string {
  const parts = path.split('.');
  let cur = f;
  for (const p of parts.slice(0, -1)) cur = cur.obj(p);
  return cur.str(parts.at(-1) as string);
}

/** `WHERE` conditions of a query: the org, the key parts given, the time window. */
function where(kind: QueryKind & { orgPath: string }, obj: Fields, org: string, body: Fields): string {
  const conds = [`"${kind.orgTag}"=${influxString(org)}`];
  for (const [path, tag] of Object.entries(kind.filters)) {
    const v = at(obj, path);
    if (v) conds.push(`"${tag}"=${influxString(v)}`);
  }
  const start = body.str('starttime');
  const end = body.str('endtime');
  if (start) conds.push(`time >= ${influxString(start)}`);
  if (end) conds.push(`time <= ${influxString(end)}`);
  return conds.join(' AND ');
}

function limitOf(body: Fields): number {
  const n = body.num('limit') || body.num('numsamples');
  return n > 0 ? Math.min(n, MAX_POINTS) : MAX_POINTS;
}

/**
 * `metrics/app|cluster|cloudlet` (selectors app cpu, mem, connections; cluster cpu, mem;
 * cloudlet utilization) from the region's `metrics` database and `events/app|cluster|cloudlet`
 * from its `events` database, answered in the Influx series shape `{"data":[{"Series":…}]}`.
 * RBAC: appanalytics / clusteranalytics / cloudletanalytics view on the org of the key.
 */
export function registerMetricsRoutes(routes: McRoutes, deps: MetricsDeps): void {
  for (const [what, kind] of Object.entries(METRICS)) {
    routes.auth(`metrics/${what}`, async (ctx) => {
      const region = ctx.fields.str('region');
      const obj = ctx.fields.obj(kind.objField);
      const org = at(obj, kind.orgPath);
      ctx.audit.region = region;
      ctx.audit.org = org;
      const selectors = ctx.fields
        .str('selector')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (selectors.length === 0) throw invalidArgument('Selector must be specified');
      const known = kind.selectors ?? {};
      for (const s of selectors) {
        if (s !== '*' && !known[s])
          throw invalidArgument(
            `Invalid ${kind.objField} selector: ${s}, only the following are supported: ${Object.keys(known).join(',')}`,
          );
      }
      await authorize(deps.rbac, ctx.caller, org, kind.resource, 'view');
      const rec = await deps.regions.get(region);
      const names = selectors.includes('*') ? Object.keys(known) : selectors;
      const cond = where(kind, obj, org, ctx.fields);
      const statements = names.map(
        (s) =>
          `SELECT * from "${known[s] as string}" WHERE ${cond} order by time desc limit ${limitOf(ctx.fields)}`,
      );
      return { data: await queryInflux(rec.influxDb, 'metrics', statements) };
    });
  }
  for (const [what, kind] of Object.entries(EVENTS)) {
    routes.auth(`events/${what}`, async (ctx) => {
      const region = ctx.fields.str('region');
      const obj = ctx.fields.obj(kind.objField);
      const org = at(obj, kind.orgPath);
      ctx.audit.region = region;
      ctx.audit.org = org;
      await authorize(deps.rbac, ctx.caller, org, kind.resource, 'view');
      const rec = await deps.regions.get(region);
      const cond = where(kind, obj, org, ctx.fields);
      const q = `SELECT * from "${kind.measurement as string}" WHERE ${cond} order by time desc limit ${limitOf(ctx.fields)}`;
      return { data: await queryInflux(rec.influxDb, 'events', [q]) };
    });
  }
}
