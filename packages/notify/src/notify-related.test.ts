import type { edgeproto } from '@edge/proto';
import type { Change } from './contract';
import type { PolicyFactory } from './hello';
import { T, app, appInst, flavor, testSource, waitFor, within } from './testing/fixtures';
import { Harness } from './testing/harness';
import type { MemorySource } from './testing/memory-source';

const h = new Harness();
const { codec } = h;
afterEach(() => h.cleanup());

const appKey = (name: string): string => codec.keyJson(T.App, app(name));

/**
 * Apps are never allowed on their own; an allowed AppInst takes its App along (the
 * original's "AppInst update also enqueues its App").
 */
function appsAlongWithInstances(source: MemorySource): PolicyFactory & { calls: () => number } {
  let calls = 0;
  const factory: PolicyFactory = () => ({
    allows: (c) => c.type !== T.App,
    related: (c): Change[] => {
      calls++;
      if (c.type !== T.AppInst || !c.obj) return [];
      const name = (c.obj as edgeproto.AppInst).key?.appKey?.name ?? '';
      const current = source.snapshot(new Set([T.App])).objects.find((o) => o.key === appKey(name));
      return current ? [current] : [];
    },
  });
  return Object.assign(factory, { calls: () => calls });
}

/** "Type name" of what the child applied from index `from` on. */
const applied = (sink: { applied: Change[] }, from = 0): string[] =>
  sink.applied.slice(from).map((c) => {
    const name =
      c.type === T.AppInst
        ? (c.obj as edgeproto.AppInst | undefined)?.key?.appKey?.name
        : (c.obj as edgeproto.App | undefined)?.key?.name;
    return `${c.type.replace('edgeproto.', '')} ${name ?? c.key}`;
  });

describe('notify: related changes (policy.related)', () => {
  it('sends an allowed change with what it relates to, dependency first, coalesced per key', async () => {
    const source = testSource(codec);
    source.put(flavor('f1'), app('a'), app('b'));
    source.put(appInst('a', 'c1'), appInst('a', 'c2'));
    const policy = appsAlongWithInstances(source);
    const p = await h.parent(source, { policy });
    const { client, sink } = h.child(p.address);
    await within(client.waitSynced(), 5000, 'sync');
    // App b has no instance: never sent; App a once for its two instances, before them.
    expect(applied(sink)).toEqual(['Flavor f1', 'App a', 'AppInst a', 'AppInst a']);
    expect(policy.calls()).toBeGreaterThan(0);

    // live: one revision with two more instances of a → App a once more, first
    const mark = sink.applied.length;
    source.put(appInst('a', 'c3'), appInst('a', 'c4'));
    await waitFor(() => client.revision === source.revision(), 5000, 'live');
    expect(applied(sink, mark)).toEqual(['App a', 'AppInst a', 'AppInst a']);
    // a delete relates to nothing
    const mark2 = sink.applied.length;
    source.delete(T.AppInst, codec.keyJson(T.AppInst, appInst('a', 'c4')));
    await waitFor(() => client.revision === source.revision(), 5000, 'delete');
    expect(sink.applied.slice(mark2).map((c) => [c.type, c.obj === undefined])).toEqual([[T.AppInst, true]]);
  });

  it('sends related changes with replayed ones when a child resumes', async () => {
    const source = testSource(codec);
    source.put(app('a'), app('b'));
    const p = await h.parent(source, { policy: appsAlongWithInstances(source) });
    const first = h.child(p.address);
    await within(first.client.waitSynced(), 5000, 'sync');
    await first.client.stop();
    expect(first.sink.keys(T.App)).toEqual([]);

    source.put(appInst('b', 'c1'));
    const { client, sink } = h.child(p.address, { sink: first.sink, initialRevision: first.client.revision });
    await within(client.waitSynced(), 5000, 'resync');
    expect(p.server.children()[0]?.resumed).toBe(true);
    expect(applied(sink)).toEqual(['App b', 'AppInst b']);
  });
});
