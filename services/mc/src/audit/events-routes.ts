import type { Db } from '../db/db';
import { forbidden } from '../http/errors';
import type { AuthRequestCtx, McRoutes } from '../http/routes';
import type { Authorizer } from '../rbac/authorizer';
import { findQuery, showQuery, termsQueries, type AllowedOrgs } from './event-query';
import { parseEventSearch } from './event-search';
import { toEventData, type AuditLogRow } from './event-data';

/** What the events routes need. */
export interface EventsRoutesDeps {
  readonly db: Db;
  readonly authorizer: Authorizer;
  readonly now: () => number;
}

/** The orgs whose records the caller may see: the original checks `users:view` (every org role has it). */
async function allowedOrgs(authorizer: Authorizer, ctx: AuthRequestCtx): Promise<AllowedOrgs> {
  const orgs = await authorizer.orgsAllowed(ctx.caller.subject, 'users', 'view');
  if (orgs === 'all') return 'all';
  const list = [...orgs].filter((o) => o !== '');
  if (list.length === 0) throw forbidden();
  return list;
}

/** `auth/events/show|find|terms` over the audit log. */
export function registerEventsRoutes(routes: McRoutes, deps: EventsRoutesDeps): void {
  const { db, authorizer } = deps;
  const search =
    (build: typeof showQuery) =>
    async (ctx: AuthRequestCtx): Promise<unknown> => {
      const s = parseEventSearch(ctx.body, deps.now());
      const q = build(s, await allowedOrgs(authorizer, ctx));
      const rows = await db.query<AuditLogRow>(q.sql, q.params);
      return rows.map(toEventData);
    };
  routes.auth('events/show', search(showQuery));
  routes.auth('events/find', search(findQuery));
  routes.auth('events/terms', async (ctx) => {
    const s = parseEventSearch(ctx.body, deps.now());
    const qs = termsQueries(s, await allowedOrgs(authorizer, ctx));
    const out: Record<string, { key: string; count: number }[]> = {};
    for (const [field, q] of Object.entries(qs)) {
      const rows = await db.query<{ key: string; count: number }>(q.sql, q.params);
      if (rows.length > 0) out[field] = rows;
    }
    if (s.match.types.length === 0 || s.match.types.includes('audit')) {
      const total = (out['names'] ?? []).reduce((n, r) => n + r.count, 0);
      if (total > 0) out['types'] = [{ key: 'audit', count: total }];
    }
    return out;
  });
}
