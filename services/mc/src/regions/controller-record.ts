import type { Fields } from '../http/fields';

/** A registered region: the original's `ormapi.Controller`. */
export interface ControllerRecord {
  readonly region: string;
  /** The Controller's gRPC API, `host:port`. */
  readonly address: string;
  readonly notifyAddr: string;
  /** The region's InfluxDB URL (metrics, lifecycle events). */
  readonly influxDb: string;
  readonly thanosMetrics: string;
  readonly dnsRegion: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A `controllers` row as pg returns it. */
export interface ControllerRow {
  region: string;
  address: string;
  notify_addr: string;
  influxdb: string;
  thanos_metrics: string;
  dns_region: string;
  created_at: Date;
  updated_at: Date;
}

export function controllerFromRow(r: ControllerRow): ControllerRecord {
  return {
    region: r.region,
    address: r.address,
    notifyAddr: r.notify_addr,
    influxDb: r.influxdb,
    thanosMetrics: r.thanos_metrics,
    dnsRegion: r.dns_region,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The original's JSON of a Controller: Go field names, `omitempty` on the optional ones. */
export function controllerJson(c: ControllerRecord): Record<string, unknown> {
  return {
    Region: c.region,
    ...(c.address ? { Address: c.address } : {}),
    ...(c.notifyAddr ? { NotifyAddr: c.notifyAddr } : {}),
    ...(c.influxDb ? { InfluxDB: c.influxDb } : {}),
    ...(c.thanosMetrics ? { ThanosMetrics: c.thanosMetrics } : {}),
    ...(c.dnsRegion ? { DnsRegion: c.dnsRegion } : {}),
    CreatedAt: c.createdAt.toISOString(),
    UpdatedAt: c.updatedAt.toISOString(),
  };
}

const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** What non-admins see of a region: its name only (the time fields are Go zero times, as the original sends). */
export function controllerPublicJson(c: ControllerRecord): Record<string, unknown> {
  return { Region: c.region, CreatedAt: GO_ZERO_TIME, UpdatedAt: GO_ZERO_TIME };
}

/** The settable fields of a Controller body that are present (read case-insensitively). */
export interface ControllerInput {
  region: string;
  address?: string;
  notifyAddr?: string;
  influxDb?: string;
  thanosMetrics?: string;
}

/** Reads `{Region, Address, NotifyAddr, InfluxDB, ThanosMetrics}`; absent fields stay undefined. */
export function controllerInput(f: Fields): ControllerInput {
  const opt = (name: string): string | undefined => (f.has(name) ? f.str(name) : undefined);
  const out: ControllerInput = { region: f.str('Region') };
  const address = opt('Address');
  const notifyAddr = opt('NotifyAddr');
  const influxDb = opt('InfluxDB');
  const thanosMetrics = opt('ThanosMetrics');
  if (address !== undefined) out.address = address;
  if (notifyAddr !== undefined) out.notifyAddr = notifyAddr;
  if (influxDb !== undefined) out.influxDb = influxDb;
  if (thanosMetrics !== undefined) out.thanosMetrics = thanosMetrics;
  return out;
}
