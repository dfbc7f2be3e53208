import { Ticker } from './ticker';
import { waitFor } from './testing/world';

describe('Ticker', () => {
  it('runs at start, then every interval, one run at a time', async () => {
    let runs = 0;
    let running = 0;
    let overlapped = false;
    const t = new Ticker(
      async () => {
        runs++;
        overlapped ||= ++running > 1;
        await new Promise((r) => setTimeout(r, 5));
        running--;
      },
      () => 1,
      () => undefined,
    );
    t.start();
    await waitFor(() => runs >= 5, 15_000, 'five runs');
    await t.stop();
    const after = runs;
    expect(overlapped).toBe(false);
    t.trigger(); // stopped: nothing runs
    await new Promise((r) => setImmediate(r));
    expect(runs).toBe(after);
  });

  it('applies a shorter interval to the wait under way, and reports errors without stopping', async () => {
    let interval = 3_600_000;
    let runs = 0;
    const errors: unknown[] = [];
    const t = new Ticker(
      () => {
        runs++;
        throw new Error('boom');
      },
      () => interval,
      (err) => errors.push(err),
    );
    t.start();
    await waitFor(() => runs === 1, 15_000, 'first run');
    interval = 10;
    t.reschedule();
    await waitFor(() => runs >= 3, 15_000, 'runs at the new interval');
    await t.stop();
    expect(errors.length).toBe(runs);
  });
});
