import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { T, flavor, testSource, waitFor } from './testing/fixtures';
import { Harness } from './testing/harness';
import { MemorySink } from './testing/memory-sink';

const h = new Harness();
afterEach(() => h.cleanup());

const LATENCY = 'edgeproto.AppInstLatency';
const request = (name: string) =>
  create(edgeproto.AppInstLatencySchema, { key: { appKey: { organization: 'dev', name, version: '1' } } });

describe('notify: one-shot messages from parent to children', () => {
  it('reach the children that asked for the type, in order, outside the replicated state', async () => {
    const source = testSource(h.codec);
    source.put(flavor('f1'));
    const p = await h.parent(source, { sendsMessages: [LATENCY] });
    const wants = h.child(p.address, { messageTypes: [LATENCY] });
    const other = h.child(p.address);
    await waitFor(() => p.server.stats().synced === 2, 5000, 'children synced');

    expect(p.server.message(LATENCY, request('a'))).toBe(1);
    p.server.message(LATENCY, request('b'));
    await waitFor(() => wants.sink.messages.length === 2, 5000, 'messages down');
    const names = wants.sink.messages.map((m) => (m.msg as edgeproto.AppInstLatency).key?.appKey?.name);
    expect(names).toEqual(['a', 'b']);
    expect(wants.sink.messages[0]?.type).toBe(LATENCY);
    expect(wants.sink.keys(LATENCY)).toEqual([]);
    expect(other.sink.messages).toEqual([]);

    // Replicated changes keep flowing alongside, and a resync does not prune or replay messages.
    source.put(flavor('f2'));
    await waitFor(() => wants.sink.keys(T.Flavor).length === 2, 5000, 'change after messages');
    expect(wants.sink.messages).toHaveLength(2);
  });

  it('are not sent when the parent does not send the type, nor to a child that connects later', async () => {
    const source = testSource(h.codec);
    const silent = await h.parent(source);
    const c1 = h.child(silent.address, { messageTypes: [LATENCY], sink: new MemorySink() });
    await waitFor(() => silent.server.stats().synced === 1, 5000, 'child synced');
    expect(silent.server.message(LATENCY, request('a'))).toBe(0);

    const p = await h.parent(source, { sendsMessages: [LATENCY] });
    p.server.message(LATENCY, request('early'));
    const c2 = h.child(p.address, { messageTypes: [LATENCY] });
    await waitFor(() => p.server.stats().synced === 1, 5000, 'late child synced');
    p.server.message(LATENCY, request('late'));
    await waitFor(() => c2.sink.messages.length === 1, 5000, 'message down');
    expect((c2.sink.messages[0]?.msg as edgeproto.AppInstLatency).key?.appKey?.name).toBe('late');
    expect(c1.sink.messages).toEqual([]);
  });
});
