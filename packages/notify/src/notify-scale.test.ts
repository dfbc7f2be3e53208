import { T, flavor, startParent, testSource, waitFor, within } from './testing/fixtures';
import { Harness } from './testing/harness';

const h = new Harness();
const { codec } = h;
afterEach(() => h.cleanup());

describe('notify: limits', () => {
  it('bounds concurrent full resyncs; every child is eventually synced', async () => {
    const source = testSource(codec);
    for (let i = 0; i < 500; i++) source.put(flavor(`f${i}`));
    const p = await h.parent(source, { maxConcurrentResyncs: 2 });
    let maxRunning = 0;
    let maxWaiting = 0;
    const snapshot = source.snapshot.bind(source);
    source.snapshot = (types) => {
      const s = p.server.stats();
      maxRunning = Math.max(maxRunning, s.resyncsRunning);
      maxWaiting = Math.max(maxWaiting, s.resyncsWaiting);
      return snapshot(types);
    };
    const children = Array.from({ length: 10 }, (_, i) => h.child(p.address, { name: `child-${i}` }));
    await within(Promise.all(children.map((c) => c.client.waitSynced())), 10000, 'all synced');
    for (const c of children) expect(c.sink.keys(T.Flavor)).toHaveLength(500);
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(p.server.stats()).toMatchObject({
      connected: 10,
      synced: 10,
      resyncsRunning: 0,
      resyncsWaiting: 0,
    });
    expect(maxWaiting).toBeGreaterThanOrEqual(0);

    source.put(flavor('one-more'));
    await waitFor(() => p.server.children().every((c) => c.lag === 0), 5000, 'all acked');
    expect(p.server.stats().convergence.count).toBeGreaterThanOrEqual(1);
  });

  it('tries a list of addresses with backoff past a dead one', async () => {
    const source = testSource(codec);
    source.put(flavor('f1'));
    const dead = await startParent({ ...codec, source });
    await dead.close(); // its port now refuses connections
    const p = await h.parent(source);
    const { client, sink } = h.child([dead.address, p.address], { random: () => 0 });
    await within(client.waitSynced(), 5000, 'sync');
    expect(sink.keys(T.Flavor)).toEqual(['{"name":"f1"}']);
    expect(client.stats()).toMatchObject({ attempts: 2, sessions: 1, address: p.address });
  });
});
