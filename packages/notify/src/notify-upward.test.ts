import type { Message } from '@bufbuild/protobuf';
import { dme } from '@edge/proto';
import { T, cloudletInfo, metric, testSource, waitFor } from './testing/fixtures';
import { Harness } from './testing/harness';
import { MemorySink } from './testing/memory-sink';

const h = new Harness();
const { codec } = h;
afterEach(() => h.cleanup());

const key = (type: string, obj: Message): string => codec.keyJson(type, obj);
const upward = { accepts: [T.CloudletInfo], messageTypes: [T.Metric] };

describe('notify: child to parent', () => {
  it('info objects are tracked per connection, flushed on disconnect and sent again on reconnect', async () => {
    const source = testSource(codec);
    const parentSink = new MemorySink();
    const a = await h.parent(source, { ...upward, sink: parentSink });
    const { client } = h.child(a.address);
    const c1 = cloudletInfo('c1', dme.CloudletState.READY);
    const c2 = cloudletInfo('c2', dme.CloudletState.READY);
    client.update(T.CloudletInfo, key(T.CloudletInfo, c1), c1);
    client.update(T.CloudletInfo, key(T.CloudletInfo, c2), c2);
    await waitFor(() => parentSink.keys(T.CloudletInfo).length === 2, 5000, 'infos up');
    client.update(T.CloudletInfo, key(T.CloudletInfo, c2), undefined);
    await waitFor(() => parentSink.keys(T.CloudletInfo).length === 1, 5000, 'delete up');
    const firstConn = parentSink.flushed.length;

    await a.close();
    expect(parentSink.flushed.length).toBe(firstConn + 1);
    expect(parentSink.keys(T.CloudletInfo)).toEqual([]);

    await h.parent(source, { ...upward, sink: parentSink }, a.port);
    await waitFor(() => parentSink.keys(T.CloudletInfo).length === 1, 5000, 'infos again');
    expect(parentSink.keys(T.CloudletInfo)).toEqual([key(T.CloudletInfo, c1)]);
  });

  it('one-shot messages go to sink.message; the queue keeps the newest when the parent is away', async () => {
    const source = testSource(codec);
    const parentSink = new MemorySink();
    const a = await h.parent(source, { ...upward, sink: parentSink });
    const { client } = h.child(a.address, { maxQueuedMessages: 3 });
    client.message(T.Metric, metric('m0'));
    await waitFor(() => parentSink.messages.length === 1, 5000, 'message');
    expect(parentSink.messages[0]?.type).toBe(T.Metric);
    expect(parentSink.keys(T.Metric)).toEqual([]);

    await a.close();
    await waitFor(() => !client.stats().connected, 5000, 'disconnect');
    for (let i = 1; i <= 5; i++) client.message(T.Metric, metric(`m${i}`));
    expect(client.stats().messagesDropped).toBe(2);

    await h.parent(source, { ...upward, sink: parentSink }, a.port);
    await waitFor(() => parentSink.messages.length === 4, 5000, 'queued messages');
    const names = parentSink.messages.map((m) => (m.msg as unknown as { name: string }).name);
    expect(names).toEqual(['m0', 'm3', 'm4', 'm5']);
  });
});
