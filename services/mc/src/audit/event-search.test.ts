import { DEFAULT_LIMIT, parseDuration, parseEventSearch } from './event-search';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const msg = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'ok';
};

describe('event search bodies', () => {
  it('defaults to the last 48 hours and 100 results', () => {
    const s = parseEventSearch({}, NOW);
    expect(s.starttime.toISOString()).toBe('2026-02-27T12:00:00.000Z');
    expect(s.endtime.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(s.limit).toBe(DEFAULT_LIMIT);
    expect(s.match).toEqual({
      names: [],
      orgs: [],
      types: [],
      regions: [],
      error: '',
      tags: {},
      failed: false,
    });
  });

  it('takes the 48 hours before an end time given alone', () => {
    const s = parseEventSearch({ endtime: '2026-01-10T00:00:00Z' }, NOW);
    expect(s.starttime.toISOString()).toBe('2026-01-08T00:00:00.000Z');
  });

  it('reads ages, match and notmatch case-insensitively', () => {
    const s = parseEventSearch(
      {
        StartAge: '1h30m',
        endage: '10m',
        Match: { Names: ['/api/v1/login'], orgs: ['o'], tags: { status: 400 }, failed: true },
        notmatch: { regions: ['US'] },
        from: 5,
        limit: 7,
      },
      NOW,
    );
    expect(NOW - s.starttime.getTime()).toBe(90 * 60_000);
    expect(NOW - s.endtime.getTime()).toBe(10 * 60_000);
    expect(s.match).toMatchObject({
      names: ['/api/v1/login'],
      orgs: ['o'],
      tags: { status: '400' },
      failed: true,
    });
    expect(s.notmatch.regions).toEqual(['US']);
    expect([s.from, s.limit]).toEqual([5, 7]);
  });

  it('refuses what the original refuses', () => {
    expect(msg(() => parseEventSearch({ starttime: '2026-01-01T00:00:00Z', startage: '1h' }, NOW))).toBe(
      'may only specify one of start time or start age',
    );
    expect(msg(() => parseEventSearch({ starttime: '2026-03-02T00:00:00Z' }, NOW))).toBe(
      'start time must be before (older than) end time',
    );
    expect(msg(() => parseEventSearch({ match: { names: 'x' } }, NOW))).toBe(
      'Invalid JSON data: match.names must be a list of strings',
    );
    expect(msg(() => parseDuration('5 minutes', 'startage'))).toBe(
      'Invalid JSON data: invalid duration "5 minutes" for startage',
    );
  });
});
