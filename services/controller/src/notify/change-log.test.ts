import type { Change } from '@edge/notify';
import { ChangeLog } from './change-log';

const T = 'edgeproto.Flavor';
const ALL = new Set([T, 'edgeproto.App']);
const ch = (key: string, rev: number, deleted = false, type = T): Change =>
  deleted ? { type, key, rev } : { type, key, rev, obj: {} as never };

describe('ChangeLog', () => {
  it('returns the changes after a revision, last per key, in revision order', () => {
    const log = new ChangeLog(10, 100);
    log.append(11, [ch('a', 11), ch('b', 11)]);
    log.append(12, [ch('a', 12)]);
    log.append(13, [ch('c', 13, false, 'edgeproto.App'), ch('b', 13, true)]);
    expect(log.since(10, ALL)?.map((c) => [c.key, c.rev, c.obj !== undefined])).toEqual([
      ['a', 12, true],
      ['c', 13, true],
      ['b', 13, false],
    ]);
    expect(log.since(12, new Set([T]))?.map((c) => c.key)).toEqual(['b']);
    expect(log.since(13, ALL)).toEqual([]);
    expect(log.since(20, ALL)).toEqual([]);
  });

  it('refuses revisions older than its horizon, and 0 (never synced)', () => {
    const log = new ChangeLog(10, 100);
    expect(log.since(9, ALL)).toBeUndefined();
    expect(log.since(0, ALL)).toBeUndefined();
    expect(log.since(10, ALL)).toEqual([]);
  });

  it('drops whole old revisions beyond its size and raises the horizon', () => {
    const log = new ChangeLog(0, 3);
    log.append(1, [ch('a', 1), ch('b', 1)]);
    log.append(2, [ch('c', 2)]);
    log.append(3, [ch('d', 3)]);
    expect(log.horizon).toBe(1);
    expect(log.size).toBe(2);
    expect(log.since(0, ALL)).toBeUndefined();
    expect(log.since(1, ALL)?.map((c) => c.key)).toEqual(['c', 'd']);
  });

  it('merges a revision seen twice and keeps out-of-order appends sorted', () => {
    const log = new ChangeLog(0, 100);
    log.append(5, [ch('a', 5)]);
    log.append(3, [ch('b', 3)]);
    log.append(5, [ch('c', 5)]);
    expect(log.since(4, ALL)?.map((c) => c.key)).toEqual(['a', 'c']);
    expect(log.since(2, ALL)?.map((c) => c.key)).toEqual(['b', 'a', 'c']);
  });

  it('takes older history below what it holds', () => {
    const log = new ChangeLog(10, 100);
    log.append(11, [ch('x', 11)]);
    log.prepend(
      [
        { rev: 4, changes: [ch('old', 4)] },
        { rev: 7, changes: [ch('a', 7)] },
        { rev: 9, changes: [ch('b', 9, true)] },
      ],
      5,
    );
    expect(log.horizon).toBe(5);
    expect(log.since(5, ALL)?.map((c) => c.key)).toEqual(['a', 'b', 'x']);
    expect(log.since(4, ALL)).toBeUndefined();
  });
});
