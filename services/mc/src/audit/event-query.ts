import type { EventMatch, EventSearch } from './event-search';

/** A parameterised statement. */
export interface SqlQuery {
  readonly sql: string;
  readonly params: unknown[];
}

/** Orgs whose records the caller may see; `'all'` for admins. */
export type AllowedOrgs = readonly string[] | 'all';

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** SQL conditions for each set criterion of `m`; `fuzzy` = relevance search (substring matches). */
function conditions(m: EventMatch, p: Params, fuzzy: boolean): string[] {
  const c: string[] = [];
  const contains = (col: string, v: string): string => `strpos(lower(${col}), lower(${p.add(v)})) > 0`;
  if (m.names.length > 0)
    c.push(
      fuzzy ? `(${m.names.map((n) => contains('name', n)).join(' OR ')})` : `name = ANY(${p.add(m.names)})`,
    );
  if (m.regions.length > 0) c.push(`region = ANY(${p.add(m.regions)})`);
  if (m.orgs.length > 0) c.push(`org = ANY(${p.add(m.orgs)})`);
  if (m.types.length > 0) c.push(`'audit' = ANY(${p.add(m.types)})`);
  if (m.error) c.push(contains('error', m.error));
  if (m.failed) c.push(`error <> ''`);
  for (const [k, v] of Object.entries(m.tags)) {
    if (k === 'request') c.push(contains('request::text', v));
    else if (fuzzy) c.push(contains(`coalesce(tags->>${p.add(k)}, '')`, v));
    else c.push(`tags->>${p.add(k)} = ${p.add(v)}`);
  }
  return c;
}

/** Time range, RBAC scope and exclusions common to every search. */
function baseFilter(s: EventSearch, allowed: AllowedOrgs, p: Params): string[] {
  const f = [`at >= ${p.add(s.starttime.toISOString())}`, `at <= ${p.add(s.endtime.toISOString())}`];
  if (allowed !== 'all') {
    f.push(`org = ANY(${p.add([...allowed])})`);
    // Records from before the org was created belong to an earlier org of that name.
    f.push(
      `EXISTS (SELECT 1 FROM organizations o WHERE lower(o.name) = lower(audit_log.org) AND o.created_at <= audit_log.at)`,
    );
  }
  for (const c of conditions(s.notmatch, p, false)) f.push(`NOT (${c})`);
  return f;
}

const COLUMNS = 'at, name, org, region, error, status, duration_ms, request, tags';

/** `events/show`: every criterion must hold; newest first. */
export function showQuery(s: EventSearch, allowed: AllowedOrgs): SqlQuery {
  const p = new Params();
  const where = [...baseFilter(s, allowed, p), ...conditions(s.match, p, false)];
  const sql = `SELECT ${COLUMNS} FROM audit_log WHERE ${where.join(' AND ')}
    ORDER BY at DESC, id DESC OFFSET ${p.add(s.from)} LIMIT ${p.add(s.limit)}`;
  return { sql, params: p.values };
}

/**
 * `events/find`: relevance search — within the time range and scope, records are ranked
 * by how many criteria they meet (names and tag values as substrings, case-insensitive),
 * as ElasticSearch's `should` clauses rank them; ties newest first.
 */
export function findQuery(s: EventSearch, allowed: AllowedOrgs): SqlQuery {
  const p = new Params();
  const where = baseFilter(s, allowed, p);
  const should = conditions(s.match, p, true);
  const score = should.length > 0 ? should.map((c) => `(${c})::int`).join(' + ') : '0';
  const sql = `SELECT ${COLUMNS}, ${score} AS score FROM audit_log WHERE ${where.join(' AND ')}
    ORDER BY score DESC, at DESC, id DESC OFFSET ${p.add(s.from)} LIMIT ${p.add(s.limit)}`;
  return { sql, params: p.values };
}

/** `events/terms`: one statement per aggregation, each `(key, count)` by count. */
export function termsQueries(
  s: EventSearch,
  allowed: AllowedOrgs,
): Record<'names' | 'orgs' | 'regions' | 'tagkeys', SqlQuery> {
  const make = (expr: string, from = 'audit_log', limit = s.limit): SqlQuery => {
    const p = new Params();
    const where = [...baseFilter(s, allowed, p), ...conditions(s.match, p, false)];
    const sql = `SELECT ${expr} AS key, count(*)::int AS count FROM ${from} WHERE ${where.join(' AND ')}
      GROUP BY 1 HAVING ${expr} <> '' ORDER BY 2 DESC, 1 LIMIT ${p.add(limit)}`;
    return { sql, params: p.values };
  };
  return {
    names: make('name'),
    orgs: make('org'),
    regions: make('region'),
    tagkeys: make('k', 'audit_log, jsonb_object_keys(audit_log.tags) AS k', 2 * s.limit),
  };
}
