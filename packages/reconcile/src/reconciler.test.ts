import { backoffDelay } from './backoff';
import { diffKeys } from './diff-keys';
import { TerminalError } from './errors';
import { Reconciler } from './reconciler';
import { WorkQueue } from './work-queue';

/** A promise and its resolver. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('WorkQueue', () => {
  it('queues a key once, never hands it out twice at once, and re-queues one added meanwhile', () => {
    const q = new WorkQueue();
    expect(q.add('a')).toBe(true);
    expect(q.add('a')).toBe(false);
    q.add('b');
    expect(q.take()).toBe('a');
    q.add('a'); // while processing: waits
    expect(q.take()).toBe('b');
    expect(q.take()).toBeUndefined();
    q.done('a');
    expect(q.take()).toBe('a');
    q.done('a');
    q.done('b');
    expect(q.take()).toBeUndefined();
    expect(q.length).toBe(0);
  });
});

describe('Reconciler', () => {
  const started: Reconciler[] = [];
  afterEach(async () => {
    for (const r of started.splice(0)) await r.stop();
  });
  const make = (opts: ConstructorParameters<typeof Reconciler>[0]): Reconciler => {
    const r = new Reconciler(opts);
    started.push(r);
    return r;
  };

  it('coalesces: a key enqueued while it runs runs once more afterwards with the latest state', async () => {
    const desired = new Map<string, number>([['k', 1]]);
    const seen: number[] = [];
    const first = gate();
    let concurrent = 0;
    let maxConcurrent = 0;
    const r = make({
      reconcile: async (key) => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        seen.push(desired.get(key) ?? 0);
        if (seen.length === 1) await first.promise;
        concurrent--;
      },
    });
    r.start();
    r.enqueue('k');
    await until(() => seen.length === 1);
    for (const v of [2, 3, 4]) {
      desired.set('k', v);
      r.enqueue('k');
    }
    first.open();
    await r.idle();
    expect(seen).toEqual([1, 4]);
    expect(maxConcurrent).toBe(1);
  });

  it('runs at most `concurrency` keys at once, and waits for start', async () => {
    const open = gate();
    let running = 0;
    let peak = 0;
    let total = 0;
    const r = make({
      concurrency: 3,
      reconcile: async () => {
        running++;
        peak = Math.max(peak, running);
        await open.promise;
        running--;
        total++;
      },
    });
    r.enqueueAll(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(r.stats().running).toBe(0);
    r.start();
    await until(() => running === 3);
    expect(r.stats()).toMatchObject({ running: 3, queued: 4 });
    open.open();
    await r.idle();
    expect(peak).toBe(3);
    expect(total).toBe(7);
  });

  it('retries failures with backoff until they succeed, and never retries a TerminalError', async () => {
    const attempts = new Map<string, number>();
    const errors: [string, number, number | undefined][] = [];
    const r = make({
      backoff: { initialMs: 5, maxMs: 20, jitter: 0 },
      onError: (key, _err, attempt, retryIn) => errors.push([key, attempt, retryIn]),
      reconcile: async (key) => {
        const n = (attempts.get(key) ?? 0) + 1;
        attempts.set(key, n);
        if (key === 'flaky' && n < 3) throw new Error('not yet');
        if (key === 'bad') throw new TerminalError('never');
      },
    });
    r.start();
    r.enqueueAll(['flaky', 'bad']);
    await until(() => attempts.get('flaky') === 3 && r.stats().delayed === 0);
    await r.idle();
    expect(attempts.get('bad')).toBe(1);
    expect(errors.filter(([k]) => k === 'bad')).toEqual([['bad', 1, undefined]]);
    expect(errors.filter(([k]) => k === 'flaky')).toEqual([
      ['flaky', 1, 5],
      ['flaky', 2, 10],
    ]);
    expect(r.stats().failing).toBe(1); // 'bad'
  });

  it('requeues after the asked delay', async () => {
    let runs = 0;
    const r = make({
      reconcile: async () => {
        runs++;
        return runs < 3 ? { requeueAfterMs: 5 } : undefined;
      },
    });
    r.start();
    r.enqueue('poll');
    await until(() => runs === 3 && r.stats().delayed === 0);
  });

  it('stop aborts running reconciles (after the grace period) and drops queued work', async () => {
    const aborted: string[] = [];
    let ran = 0;
    const r = make({
      concurrency: 1,
      reconcile: (key, signal) => {
        ran++;
        return new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(key);
            reject(new Error('aborted'));
          });
        });
      },
    });
    r.start();
    r.enqueueAll(['a', 'b']);
    r.enqueueAfter('c', 10_000);
    await until(() => r.isRunning('a'));
    await r.stop({ graceMs: 20 });
    expect(aborted).toEqual(['a']);
    expect(ran).toBe(1);
    expect(r.stats()).toEqual({ queued: 0, running: 0, delayed: 0, failing: 0 });
    r.enqueue('d');
    expect(r.stats().queued).toBe(0);
  });

  it('an immediate enqueue replaces a pending delayed one', async () => {
    let runs = 0;
    const r = make({ reconcile: async () => void runs++ });
    r.start();
    r.enqueueAfter('k', 60_000);
    expect(r.stats().delayed).toBe(1);
    r.enqueue('k');
    await r.idle();
    expect(runs).toBe(1);
    expect(r.stats().delayed).toBe(0);
  });
});

describe('helpers', () => {
  it('backoff grows, caps and jitters', () => {
    const o = { initialMs: 100, maxMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, o))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(1, { initialMs: 100, jitter: 0.5, random: () => 0 })).toBe(50);
    expect(backoffDelay(1, { initialMs: 100, jitter: 0.5, random: () => 1 })).toBe(150);
  });

  it('diffKeys classifies desired against observed', () => {
    expect(diffKeys(['a', 'b'], ['b', 'c'])).toEqual({ missing: ['a'], extra: ['c'], common: ['b'] });
  });
});
