import { invalidArgument } from '@edge/errors';

/** The original's `node.EventMatch`. */
export interface EventMatch {
  names: string[];
  orgs: string[];
  types: string[];
  regions: string[];
  error: string;
  tags: Record<string, string>;
  failed: boolean;
}

/** The original's `node.EventSearch` with its time range resolved. */
export interface EventSearch {
  match: EventMatch;
  notmatch: EventMatch;
  starttime: Date;
  endtime: Date;
  from: number;
  limit: number;
}

/** The original's default search window. */
export const DEFAULT_WINDOW_MS = 48 * 3600_000;
/** Results when no limit is given, and the most one search returns. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

const lower = (o: unknown): Map<string, unknown> => {
  const m = new Map<string, unknown>();
  if (o !== null && typeof o === 'object' && !Array.isArray(o))
    for (const [k, v] of Object.entries(o)) m.set(k.toLowerCase(), v);
  return m;
};

const strings = (v: unknown, name: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw invalidArgument(`Invalid JSON data: ${name} must be a list of strings`);
  return v as string[];
};

function parseMatch(v: unknown, name: string): EventMatch {
  const m = lower(v);
  const tags: Record<string, string> = {};
  const t = m.get('tags');
  if (t !== undefined && t !== null) {
    if (typeof t !== 'object' || Array.isArray(t))
      throw invalidArgument(`Invalid JSON data: ${name}.tags must be a map`);
    for (const [k, val] of Object.entries(t)) tags[k] = String(val);
  }
  const error = m.get('error');
  return {
    names: strings(m.get('names'), `${name}.names`),
    orgs: strings(m.get('orgs'), `${name}.orgs`),
    types: strings(m.get('types'), `${name}.types`),
    regions: strings(m.get('regions'), `${name}.regions`),
    error: typeof error === 'string' ? error : '',
    tags,
    failed: m.get('failed') === true,
  };
}

/** Go duration text (`1h30m`, `90s`, `250ms`) or nanoseconds, in ms. */
export function parseDuration(v: unknown, name: string): number {
  if (v === undefined || v === null || v === '' || v === 0) return 0;
  if (typeof v === 'number') return v / 1e6;
  if (typeof v !== 'string') throw invalidArgument(`Invalid JSON data: ${name} must be a duration`);
  const unit: Record<string, number> = {
    h: 3600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 1e-3,
    µs: 1e-3,
    ns: 1e-6,
  };
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * (unit[m[2] ?? ''] ?? 0);
    at = re.lastIndex;
  }
  if (at !== v.length || at === 0)
    throw invalidArgument(`Invalid JSON data: invalid duration "${v}" for ${name}`);
  return total;
}

function parseTime(v: unknown, name: string): Date | undefined {
  if (v === undefined || v === null || v === '' || v === '0001-01-01T00:00:00Z') return undefined;
  const d = typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime()))
    throw invalidArgument(`Invalid JSON data: ${name} must be an RFC 3339 time`);
  return d;
}

/**
 * Reads an EventSearch body and resolves its time range as the original's
 * `TimeRange.Resolve`: start from `starttime` or `startage` (default 48 h before the end
 * when only `endtime` is given, else before now), end from `endtime` or `endage` (default now).
 */
export function parseEventSearch(body: unknown, now: number): EventSearch {
  const b = lower(body);
  const startTime = parseTime(b.get('starttime'), 'starttime');
  const endTime = parseTime(b.get('endtime'), 'endtime');
  let startAge = parseDuration(b.get('startage'), 'startage');
  const endAge = parseDuration(b.get('endage'), 'endage');
  let base = now;
  let startName = 'start time';
  let endName = 'end time';
  let start: Date;
  if (!startTime) {
    if (startAge === 0) {
      startAge = DEFAULT_WINDOW_MS;
      if (endTime) base = endTime.getTime();
    } else startName = 'start age';
    start = new Date(base - startAge);
  } else {
    if (startAge !== 0) throw invalidArgument('may only specify one of start time or start age');
    start = startTime;
  }
  let end: Date;
  if (!endTime) {
    if (endAge !== 0) endName = 'end age';
    end = new Date(base - endAge);
  } else {
    if (endAge !== 0) throw invalidArgument('may only specify one of end time or end age');
    end = endTime;
  }
  if (!(start.getTime() < end.getTime()))
    throw invalidArgument(`${startName} must be before (older than) ${endName}`);
  const num = (v: unknown, name: string): number => {
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw invalidArgument(`Invalid JSON data: ${name} must be a non-negative integer`);
    return v;
  };
  const limit = num(b.get('limit'), 'limit');
  return {
    match: parseMatch(b.get('match'), 'match'),
    notmatch: parseMatch(b.get('notmatch'), 'notmatch'),
    starttime: start,
    endtime: end,
    from: num(b.get('from'), 'from'),
    limit: Math.min(limit || DEFAULT_LIMIT, MAX_LIMIT),
  };
}
