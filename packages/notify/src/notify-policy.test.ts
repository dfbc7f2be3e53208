import type { Message } from '@bufbuild/protobuf';
import { dme, type edgeproto } from '@edge/proto';
import type { Change } from './contract';
import { allowAll, type PolicyFactory } from './hello';
import { T, appInst, cloudletInfo, flavor, testSource, waitFor, within } from './testing/fixtures';
import { Harness } from './testing/harness';
import type { MemorySource } from './testing/memory-source';

const h = new Harness();
const { codec } = h;
afterEach(() => h.cleanup());

/**
 * The CRM filter of the original, reduced: a filtering child gets AppInsts only of the
 * cloudlet it reported, only once that CloudletInfo is READY, and SENDALL_END waits until then.
 */
function cloudletFilter(source: MemorySource): PolicyFactory {
  const cloudletOf = (c: Change): string => {
    const obj = (c.obj ?? codec.keyOnly(c.type, c.key)) as edgeproto.AppInst;
    return obj.key?.clusterInstKey?.cloudletKey?.name ?? '';
  };
  return (conn, hello) => {
    if (!hello.filterCloudletKey) return allowAll(conn, hello);
    let cloudlet: string | undefined;
    let ready = false;
    return {
      defersSendAllEnd: true,
      allows: (c) => c.type !== T.AppInst || (ready && cloudletOf(c) === cloudlet),
      onReceived: (type, obj: Message | undefined) => {
        if (type !== T.CloudletInfo || !obj) return {};
        const info = obj as edgeproto.CloudletInfo;
        cloudlet = info.key?.name;
        if (info.state !== dme.CloudletState.READY || ready) return {};
        ready = true;
        const mine = source.snapshot(new Set([T.AppInst])).objects.filter((c) => cloudletOf(c) === cloudlet);
        return { send: mine, releaseSendAllEnd: true };
      },
    };
  };
}

const crmOptions = { filterCloudletKey: true, wants: [T.Flavor, T.AppInst] };
const key = (type: string, obj: Message): string => codec.keyJson(type, obj);

describe('notify: connection policy', () => {
  it('hides other cloudlets and defers SENDALL_END until the child reports its CloudletInfo', async () => {
    const source = testSource(codec);
    source.put(flavor('f1'), appInst('a', 'c1'), appInst('b', 'c2'));
    const p = await h.parent(source, { policy: cloudletFilter(source), accepts: [T.CloudletInfo] });
    const { client, sink } = h.child(p.address, crmOptions);
    const infoKey = key(T.CloudletInfo, cloudletInfo('c1', dme.CloudletState.INIT));
    client.update(T.CloudletInfo, infoKey, cloudletInfo('c1', dme.CloudletState.INIT));

    await waitFor(() => p.sink.keys(T.CloudletInfo).length === 1, 5000, 'CloudletInfo up');
    await expect(within(client.waitSynced(), 200, 'sync')).rejects.toThrow('timed out');
    expect(sink.keys(T.Flavor)).toEqual(['{"name":"f1"}']);
    expect(sink.keys(T.AppInst)).toEqual([]);

    client.update(T.CloudletInfo, infoKey, cloudletInfo('c1', dme.CloudletState.READY));
    await within(client.waitSynced(), 5000, 'sync');
    expect(sink.keys(T.AppInst)).toEqual([key(T.AppInst, appInst('a', 'c1'))]);
    const info = p.sink.get(T.CloudletInfo, infoKey) as edgeproto.CloudletInfo;
    expect(info.state).toBe(dme.CloudletState.READY);

    source.put(appInst('x', 'c2'));
    source.put(appInst('y', 'c1'));
    await waitFor(() => client.revision === source.revision(), 5000, 'revision');
    expect(sink.keys(T.AppInst)).toEqual([
      key(T.AppInst, appInst('a', 'c1')),
      key(T.AppInst, appInst('y', 'c1')),
    ]);
  });

  it('a resumed filtering child gets what the policy held back once it is READY', async () => {
    const source = testSource(codec);
    source.put(flavor('f1'), appInst('a', 'c1'), appInst('b', 'c1'));
    const p = await h.parent(source, { policy: cloudletFilter(source), accepts: [T.CloudletInfo] });
    const ready = cloudletInfo('c1', dme.CloudletState.READY);
    const first = h.child(p.address, crmOptions);
    first.client.update(T.CloudletInfo, key(T.CloudletInfo, ready), ready);
    await within(first.client.waitSynced(), 5000, 'sync');
    await first.client.stop();

    source.delete(T.AppInst, key(T.AppInst, appInst('a', 'c1')));
    const { client, sink } = h.child(p.address, {
      ...crmOptions,
      sink: first.sink,
      initialRevision: first.client.revision,
    });
    await waitFor(() => client.stats().connected, 5000, 'connected');
    await expect(within(client.waitSynced(), 200, 'sync')).rejects.toThrow('timed out');
    expect(sink.keys(T.AppInst)).toHaveLength(2); // the delete is held back

    client.update(T.CloudletInfo, key(T.CloudletInfo, ready), ready);
    await within(client.waitSynced(), 5000, 'sync');
    expect(sink.keys(T.AppInst)).toEqual([key(T.AppInst, appInst('b', 'c1'))]);
    expect(sink.pruned).toEqual([]);
    expect(p.server.children()[0]?.resumed).toBe(true);
  });
});
