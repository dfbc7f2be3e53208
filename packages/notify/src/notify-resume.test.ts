import type { Message } from '@bufbuild/protobuf';
import { T, app, flavor, testSource, waitFor, within } from './testing/fixtures';
import { Harness } from './testing/harness';

const h = new Harness();
const { codec } = h;
afterEach(() => h.cleanup());

const key = (type: string, obj: Message): string => codec.keyJson(type, obj);

describe('notify: resume', () => {
  it('a child that comes back gets only the changes it missed', async () => {
    const source = testSource(codec);
    for (let i = 0; i < 20; i++) source.put(flavor(`f${i}`));
    source.put(app('a'));
    const p = await h.parent(source);
    const first = h.child(p.address);
    await within(first.client.waitSynced(), 5000, 'sync');
    await first.client.stop();
    await waitFor(() => p.server.connected === 0, 5000, 'parent sees the child gone');

    source.put(flavor('f1', 2048));
    source.put(flavor('new'));
    source.delete(T.App, key(T.App, app('a')));
    const sent = p.server.stats().noticesSent;

    const { client, sink } = h.child(p.address, { sink: first.sink, initialRevision: first.client.revision });
    await within(client.waitSynced(), 5000, 'sync');
    expect(client.stats().received).toMatchObject({ updates: 2, deletes: 1, sendAllEnd: 1 });
    // VERSION, the 3 changes, SENDALL_END: nothing else went out.
    expect(p.server.stats().noticesSent - sent).toBe(5);
    expect(p.server.children()[0]?.resumed).toBe(true);
    expect(sink.pruned).toEqual([]);
    expect(sink.keys(T.Flavor)).toHaveLength(21);
    expect(sink.keys(T.App)).toEqual([]);
    expect(client.revision).toBe(source.revision());
  });

  it('a child older than the log horizon gets a full resync, and what was deleted is pruned', async () => {
    const source = testSource(codec, 5);
    source.put(flavor('stale'), flavor('kept'));
    const p = await h.parent(source);
    const first = h.child(p.address);
    await within(first.client.waitSynced(), 5000, 'sync');
    await first.client.stop();

    source.delete(T.Flavor, key(T.Flavor, flavor('stale')));
    for (let i = 0; i < 10; i++) source.put(flavor(`f${i}`)); // pushes the delete out of the log

    const { client, sink } = h.child(p.address, { sink: first.sink, initialRevision: first.client.revision });
    await within(client.waitSynced(), 5000, 'sync');
    expect(p.server.children()[0]?.resumed).toBe(false);
    expect(client.stats().received.updates).toBe(11);
    expect(sink.pruned).toEqual([`${T.Flavor}/{"name":"stale"}`]);
    expect(sink.keys(T.Flavor)).toHaveLength(11);
    expect(client.revision).toBe(source.revision());
  });

  it('after a parent restart with the same source, the child resumes without a full resend', async () => {
    const source = testSource(codec);
    for (let i = 0; i < 10; i++) source.put(flavor(`f${i}`));
    const a = await h.parent(source);
    const { client, sink } = h.child(a.address);
    await within(client.waitSynced(), 5000, 'sync');
    await a.close();
    await waitFor(() => !client.stats().connected, 5000, 'disconnect');

    source.put(flavor('f0', 4096));
    const b = await h.parent(source, {}, a.port);
    await waitFor(
      () => client.stats().sessions === 2 && client.revision === source.revision(),
      5000,
      'resume',
    );
    expect(client.stats().received).toMatchObject({ updates: 11, sendAllEnd: 2 });
    expect(b.server.children()[0]?.resumed).toBe(true);
    expect(sink.pruned).toEqual([]);
  });

  it('progress markers advance the resume point of a child that receives nothing', async () => {
    const source = testSource(codec);
    source.put(flavor('f1'));
    const p = await h.parent(source, { progressIntervalMs: 50 });
    const { client } = h.child(p.address, { wants: [T.Flavor] });
    await within(client.waitSynced(), 5000, 'sync');
    for (let i = 0; i < 5; i++) source.put(app(`a${i}`)); // not wanted
    await waitFor(() => client.revision === source.revision(), 5000, 'progress');
    expect(client.stats().received.updates).toBe(1);
    expect(client.stats().received.progress).toBeGreaterThanOrEqual(1);
    await waitFor(() => p.server.children()[0]?.lag === 0, 5000, 'ack');
    // Idle and caught up: no more markers.
    const progress = client.stats().received.progress;
    await new Promise((r) => setTimeout(r, 200));
    expect(client.stats().received.progress).toBe(progress);
  });
});
