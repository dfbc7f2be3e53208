import { backoffDelay, sleep } from './backoff';
import { PushQueue } from './push-queue';

describe('backoffDelay', () => {
  it('doubles up to the maximum, jittered between half and full', () => {
    const b = { initialMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay({ ...b, random: () => 0.999999 }, n))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay({ ...b, random: () => 0 }, 2)).toBe(200);
  });

  it('sleep ends early when aborted', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = sleep(60000, ac.signal);
    ac.abort();
    await p;
    expect(Date.now() - started).toBeLessThan(30000);
  });
});

describe('PushQueue', () => {
  it('delivers pushed items in order, then done after end', async () => {
    const q = new PushQueue<number>();
    q.push(1);
    const it = q[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: 1 });
    const waiting = it.next();
    q.push(2);
    expect(await waiting).toEqual({ done: false, value: 2 });
    q.push(3);
    q.end();
    expect(q.push(4)).toBe(false);
    expect(await it.next()).toEqual({ done: false, value: 3 });
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});
