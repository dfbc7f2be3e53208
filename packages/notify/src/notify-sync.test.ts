import { dme } from '@edge/proto';
import { T, app, appInst, cloudletInfo, flavor, testSource, waitFor, within } from './testing/fixtures';
import { notifyServerMetric } from './metrics';
import { Harness } from './testing/harness';

const h = new Harness();
const { codec } = h;
afterEach(() => h.cleanup());

describe('notify: initial send and live changes', () => {
  it('sends exactly the wanted types, in dependency order, then SENDALL_END; the child acks', async () => {
    const source = testSource(codec);
    source.put(appInst('a', 'c1'));
    source.put(flavor('f1'), flavor('f2'));
    source.put(app('a'));
    source.put(cloudletInfo('c1', dme.CloudletState.READY)); // not wanted
    const p = await h.parent(source);
    const { client, sink } = h.child(p.address);
    await within(client.waitSynced(), 5000, 'sync');
    expect(sink.applied.map((c) => c.type)).toEqual([T.Flavor, T.Flavor, T.App, T.AppInst]);
    expect(sink.keys(T.CloudletInfo)).toEqual([]);
    expect(client.stats().received).toMatchObject({ updates: 4, deletes: 0, sendAllEnd: 1 });
    expect(client.revision).toBe(source.revision());
    await waitFor(() => p.server.children()[0]?.ackedRevision === source.revision(), 5000, 'ack');
    expect(p.server.children()[0]).toMatchObject({ synced: true, lag: 0, resumed: false });
    expect(p.server.stats()).toMatchObject({ connected: 1, synced: 1 });
    expect(p.server.stats().noticesSent).toBe(6); // VERSION, 4 objects, SENDALL_END

    const metric = notifyServerMetric(p.server, { region: 'r1' });
    expect(metric.name).toBe('notify-server');
    expect(metric.tags).toEqual([expect.objectContaining({ name: 'region', val: 'r1' })]);
    const val = (name: string) => metric.vals.find((v) => v.name === name)?.value.value;
    expect(val('connected')).toBe(1n);
    expect(val('synced')).toBe(1n);
    expect(val('maxLag')).toBe(0n);
    expect(val('noticesSent')).toBe(6n);
    expect(val('revision')).toBe(BigInt(source.revision()));
    expect(typeof val('convergenceP99Ms')).toBe('number');
  });

  it('sends live updates and deletes in order, coalesced per key, deletes by key', async () => {
    const source = testSource(codec);
    source.put(flavor('f1'), app('a'));
    source.put(appInst('a', 'c1'));
    const p = await h.parent(source);
    const { client, sink } = h.child(p.address);
    await within(client.waitSynced(), 5000, 'sync');
    const before = sink.applied.length;

    // One burst, committed before the stream can send: f1 five times, then deletes.
    for (let ram = 1; ram <= 5; ram++) source.put(flavor('f1', ram));
    source.delete(T.App, key(T.App, app('a')));
    source.delete(T.AppInst, key(T.AppInst, appInst('a', 'c1')));
    source.put(flavor('f2'));
    await waitFor(() => client.revision === source.revision(), 5000, 'revision');

    const live = sink.applied.slice(before);
    expect(live.map((c) => `${c.obj ? 'U' : 'D'} ${c.type}`)).toEqual([
      `U ${T.Flavor}`,
      `U ${T.Flavor}`,
      `D ${T.AppInst}`,
      `D ${T.App}`,
    ]);
    expect(live[0]).toMatchObject({ key: '{"name":"f1"}', rev: 7 });
    expect((sink.get(T.Flavor, '{"name":"f1"}') as unknown as { ram: bigint }).ram).toBe(5n);
    expect(live[2]?.key).toBe(key(T.AppInst, appInst('a', 'c1')));
    expect(sink.keys(T.App)).toEqual([]);
    expect(sink.keys(T.AppInst)).toEqual([]);

    // Changes one by one keep their revision order.
    const revs: number[] = [];
    for (let i = 0; i < 5; i++) {
      revs.push(source.put(flavor(`g${i}`)));
      await waitFor(() => client.revision === source.revision(), 5000, 'revision');
    }
    expect(sink.applied.slice(-5).map((c) => c.rev)).toEqual(revs);
  });
});

function key(type: string, obj: Parameters<typeof codec.keyJson>[1]): string {
  return codec.keyJson(type, obj);
}
