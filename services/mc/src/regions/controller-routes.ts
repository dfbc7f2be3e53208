import { invalidArgument } from '@edge/errors';
import type { Queryable } from '../db/db';
import { result, type McRoutes } from '../http/routes';
import { authorize, type Rbac } from '../rbac/authorize';
import { Resource } from '../rbac/matrix';
import {
  controllerFromRow,
  controllerInput,
  controllerJson,
  controllerPublicJson,
  type ControllerInput,
  type ControllerRow,
} from './controller-record';
import { DNS_REGION_LABEL_MAX_LEN, dnsSanitize } from './dns';
import type { Regions } from './regions';

/** Dependencies of the region registry routes. */
export interface ControllerRoutesDeps {
  readonly db: Queryable;
  readonly rbac: Rbac;
  readonly regions: Regions;
}

function validate(c: { region: string; address: string; dnsRegion: string }): void {
  if (c.region === '') throw invalidArgument('Controller Region not specified');
  if (c.address === '') throw invalidArgument('Controller Address not specified');
  if (c.dnsRegion.length > DNS_REGION_LABEL_MAX_LEN)
    throw invalidArgument(
      `DNS sanitized region label "${c.dnsRegion}" derived from the region name "${c.region}" must be less than ${DNS_REGION_LABEL_MAX_LEN} characters`,
    );
}

const isUniqueViolation = (err: unknown, constraint: string): boolean =>
  typeof err === 'object' &&
  err !== null &&
  (err as { code?: string }).code === '23505' &&
  ((err as { constraint?: string }).constraint ?? '').includes(constraint);

/** The original's `database error, <driver message>` for constraint failures; others stay internal. */
function dbError(err: unknown): unknown {
  const e = err as { code?: string; message?: string };
  return typeof e.code === 'string' && e.code.startsWith('23')
    ? invalidArgument(`database error, pq: ${e.message ?? ''}`)
    : err;
}

/**
 * The region registry, `controller/create|update|delete|show` (admin: `controllers`
 * manage on org ''; show is open to every user, who sees only region names).
 */
export function registerControllerRoutes(routes: McRoutes, deps: ControllerRoutesDeps): void {
  const { db, rbac, regions } = deps;

  routes.auth('controller/create', async (ctx) => {
    const input = controllerInput(ctx.fields);
    ctx.audit.region = input.region;
    const c = {
      region: input.region,
      address: input.address ?? '',
      notifyAddr: input.notifyAddr ?? '',
      influxDb: input.influxDb ?? '',
      thanosMetrics: input.thanosMetrics ?? '',
      dnsRegion: dnsSanitize(input.region),
    };
    validate(c);
    await authorize(rbac, ctx.caller, '', Resource.Controllers, 'manage');
    try {
      await db.query(
        `INSERT INTO controllers (region, address, notify_addr, influxdb, thanos_metrics, dns_region)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.region, c.address, c.notifyAddr, c.influxDb, c.thanosMetrics, c.dnsRegion],
      );
    } catch (err) {
      if (isUniqueViolation(err, 'dns_region'))
        throw invalidArgument(
          `DNS sanitized region name "${c.dnsRegion}" conflicts with an existing DNS region name, please choose a different region name`,
        );
      throw dbError(err);
    }
    return result('Controller registered');
  });

  routes.auth('controller/update', async (ctx) => {
    const input: ControllerInput = controllerInput(ctx.fields);
    if (input.region === '') throw invalidArgument('Controller Region not specified');
    ctx.audit.region = input.region;
    await authorize(rbac, ctx.caller, '', Resource.Controllers, 'manage');
    const cur = await regions.get(input.region);
    const next = {
      region: cur.region,
      address: input.address ?? cur.address,
      notifyAddr: input.notifyAddr ?? cur.notifyAddr,
      influxDb: input.influxDb ?? cur.influxDb,
      thanosMetrics: input.thanosMetrics ?? cur.thanosMetrics,
      dnsRegion: dnsSanitize(cur.region),
    };
    validate(next);
    await db
      .query(
        `UPDATE controllers SET address = $2, notify_addr = $3, influxdb = $4, thanos_metrics = $5,
         dns_region = $6, updated_at = now() WHERE region = $1`,
        [next.region, next.address, next.notifyAddr, next.influxDb, next.thanosMetrics, next.dnsRegion],
      )
      .catch((err: unknown) => {
        throw dbError(err);
      });
    regions.invalidate(cur.region);
    return result('Controller updated');
  });

  routes.auth('controller/delete', async (ctx) => {
    const region = ctx.fields.str('Region');
    if (region === '') throw invalidArgument('Controller Region not specified');
    ctx.audit.region = region;
    await authorize(rbac, ctx.caller, '', Resource.Controllers, 'manage');
    await db.query('DELETE FROM controllers WHERE region = $1', [region]);
    regions.invalidate(region);
    return result('Controller deregistered');
  });

  routes.auth('controller/show', async (ctx) => {
    const admin = await rbac.allowed(ctx.caller.subject, '', Resource.Controllers, 'view');
    const filter = controllerInput(ctx.fields);
    const rows = await db.query<ControllerRow>('SELECT * FROM controllers ORDER BY region');
    return rows
      .map(controllerFromRow)
      .filter((c) => !filter.region || c.region === filter.region)
      .filter((c) => !admin || matches(c, filter))
      .map((c) => (admin ? controllerJson(c) : controllerPublicJson(c)));
  });
}

/** Admins may filter by any field given non-empty (the original's gorm Where on the struct). */
function matches(
  c: { address: string; notifyAddr: string; influxDb: string; thanosMetrics: string },
  f: ControllerInput,
): boolean {
  return (
    (!f.address || c.address === f.address) &&
    (!f.notifyAddr || c.notifyAddr === f.notifyAddr) &&
    (!f.influxDb || c.influxDb === f.influxDb) &&
    (!f.thanosMetrics || c.thanosMetrics === f.thanosMetrics)
  );
}
