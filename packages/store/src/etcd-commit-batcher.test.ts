import { CommitBatcher } from './etcd-commit-batcher';
import type { TxnAttempt } from './txn-runner';

const attempt = (reads: Record<string, number>, writes: string[]): TxnAttempt => ({
  reads: new Map(Object.entries(reads)),
  values: new Map(),
  writes: new Map(writes.map((k) => [k, { type: 'put', value: 'v' }] as const)),
  readRevision: undefined,
});

describe('CommitBatcher', () => {
  it('sends a lone commit at once and batches what arrives meanwhile, keys disjoint only', async () => {
    const sent: string[][] = [];
    let rev = 10;
    const b = new CommitBatcher(async (as) => {
      sent.push(as.map((a) => [...a.writes.keys()].join('+')));
      await new Promise((r) => setTimeout(r, 5));
      return { succeeded: true, revision: ++rev };
    });
    const revs = await Promise.all([
      b.commit(attempt({ a: 0 }, ['a'])),
      b.commit(attempt({ b: 0 }, ['b'])),
      b.commit(attempt({ c: 0 }, ['c'])),
      b.commit(attempt({ b: 11 }, ['b'])),
    ]);
    expect(sent).toEqual([['a'], ['b', 'c'], ['b']]);
    expect(revs).toEqual([11, 12, 12, 13]);
  });

  it('splits a failed batch so each transaction learns its own outcome', async () => {
    const b = new CommitBatcher(async (as) => {
      await new Promise((r) => setTimeout(r, 1));
      const bad = as.some((a) => a.reads.get('stale') === 1);
      return { succeeded: !bad, revision: 7 };
    });
    const results = await Promise.all([
      b.commit(attempt({ x: 0 }, ['x'])),
      b.commit(attempt({ y: 0 }, ['y'])),
      b.commit(attempt({ stale: 1 }, ['stale'])),
      b.commit(attempt({ z: 0 }, ['z'])),
    ]);
    expect(results).toEqual([7, 7, undefined, 7]);
  });
});
