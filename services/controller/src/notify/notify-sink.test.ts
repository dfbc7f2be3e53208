import { create, type Message } from '@bufbuild/protobuf';
import type { ConnectionInfo } from '@edge/notify';
import { dme, edgeproto } from '@edge/proto';
import { MemStore, type KVStore } from '@edge/store';
import { crmIntake } from '../state';
import { stateDepsOf } from '../state/testing/harness-deps';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';
import { ControllerNotifySink } from './notify-sink';
import { cloudletFx, cloudletInfo, cloudletKey, cloudletKeyJson, clusterInstFx } from './testing/fixtures';

const CS = dme.CloudletState;
const TS = edgeproto.TrackedState;
const conn = (id: number, name = `crm-${id}`): ConnectionInfo => ({ id, name, peer: `10.0.0.${id}:1` });
const C1 = cloudletKeyJson('c1');

describe('ControllerNotifySink', () => {
  let kv: KVStore;
  let h: ControllerHarness;
  let sink: ControllerNotifySink;
  const metrics: edgeproto.Metric[] = [];
  const sinkOf = (controllerId: string): ControllerNotifySink =>
    new ControllerNotifySink({
      reg: h.reg,
      intake: crmIntake(stateDepsOf(h)),
      store: h.ctrl.store,
      cache: h.ctrl.view,
      controllerId,
      onMetric: (m) => metrics.push(m),
    });
  const get = <T extends Message>(type: string, init: Record<string, unknown>): T | undefined =>
    h.ctrl.view.get<T>(h.reg.get(type), create(h.reg.get(type).schema, init));
  const info = (): edgeproto.CloudletInfo | undefined => get('CloudletInfo', { key: cloudletKey('c1') });
  const alerts = (): edgeproto.Alert[] => [...h.ctrl.view.list<edgeproto.Alert>(h.reg.get('Alert'))];
  const applyInfo = (c: ConnectionInfo, state: number, s = sink): Promise<void> | void =>
    s.apply({ type: 'edgeproto.CloudletInfo', key: C1, rev: 1, obj: cloudletInfo('c1', state) }, c);

  beforeEach(async () => {
    kv = new MemStore();
    h = await startController({ kv });
    await seed(h, cloudletFx('c1'));
    sink = sinkOf('ctrl-a');
    metrics.length = 0;
  });
  afterEach(async () => {
    await h.close();
    await kv.close();
  });

  it('applies a CloudletInfo through the intake, stamped with the connection and this Controller', async () => {
    await applyInfo(conn(3), CS.READY);
    expect(info()).toMatchObject({ state: CS.READY, notifyId: 3n, controller: 'ctrl-a' });
  });

  it("ignores what a CRM reports about another cloudlet than its access key's", async () => {
    const signedC2: ConnectionInfo = { ...conn(4), identity: cloudletKeyJson('c2') };
    await applyInfo(signedC2, CS.READY);
    expect(info()).toBeUndefined();
    const intake = crmIntake(stateDepsOf(h));
    const reported: string[] = [];
    const watched = new ControllerNotifySink({
      reg: h.reg,
      intake: {
        ...intake,
        applyAppInstInfo: async (i) => void reported.push(h.reg.get('AppInstInfo').keyJson(i)),
      },
      store: h.ctrl.store,
      cache: h.ctrl.view,
      controllerId: 'ctrl-a',
    });
    const appInstInfo = (cloudlet: string): edgeproto.AppInstInfo =>
      create(edgeproto.AppInstInfoSchema, {
        key: { clusterInstKey: { cloudletKey: cloudletKey(cloudlet) } },
        state: edgeproto.TrackedState.READY,
      });
    await watched.apply(
      { type: 'edgeproto.AppInstInfo', key: 'k1', rev: 1, obj: appInstInfo('c1') },
      signedC2,
    );
    await watched.apply(
      { type: 'edgeproto.AppInstInfo', key: 'k2', rev: 2, obj: appInstInfo('c2') },
      signedC2,
    );
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain('"name":"c2"');
    const signedC1: ConnectionInfo = { ...conn(5), identity: C1 };
    await applyInfo(signedC1, CS.READY);
    expect(info()).toMatchObject({ state: CS.READY, notifyId: 5n });
  });

  it('on flush, turns the CloudletInfo OFFLINE and raises CloudletDown', async () => {
    await applyInfo(conn(3), CS.READY);
    await sink.flush(conn(3));
    expect(info()?.state).toBe(CS.OFFLINE);
    const down = alerts().find((a) => a.labels['alertname'] === 'CloudletDown');
    expect(down?.labels).toMatchObject({ cloudlet: 'c1', cloudletorg: 'op' });
  });

  it('leaves a CloudletInfo another connection or Controller sent since', async () => {
    await applyInfo(conn(3), CS.READY);
    await applyInfo(conn(4), CS.READY); // the CRM reconnected
    await sink.flush(conn(3));
    expect(info()).toMatchObject({ state: CS.READY, notifyId: 4n });

    await applyInfo(conn(4), CS.READY, sinkOf('ctrl-b')); // and then moved to Controller B
    await sink.flush(conn(4));
    expect(info()).toMatchObject({ state: CS.READY, controller: 'ctrl-b' });
    expect(alerts()).toEqual([]);
  });

  it('applies AppInstInfo/ClusterInstInfo through the intake; their flush changes nothing', async () => {
    await seed(h, [
      clusterInstFx('k1', 'c1')[0],
      edgeproto.ClusterInstSchema,
      { ...clusterInstFx('k1', 'c1')[2], state: TS.CREATING },
    ]);
    const key = { clusterKey: { name: 'k1' }, cloudletKey: cloudletKey('c1'), organization: 'dev' };
    const ci = create(edgeproto.ClusterInstInfoSchema, { key, state: TS.READY });
    await sink.apply(
      { type: 'edgeproto.ClusterInstInfo', key: h.reg.get('ClusterInstInfo').keyJson(ci), rev: 1, obj: ci },
      conn(5),
    );
    expect(get<edgeproto.ClusterInst>('ClusterInst', { key })?.state).toBe(TS.READY);
    await sink.flush(conn(5));
    expect(get<edgeproto.ClusterInst>('ClusterInst', { key })?.state).toBe(TS.READY);
  });

  it('stores Alerts from a child stamped with the connection, and removes them on flush', async () => {
    const alertType = h.reg.get('Alert');
    const alert = create(edgeproto.AlertSchema, {
      labels: { alertname: 'AppInstDown', app: 'a1' },
      state: 'firing',
    });
    const key = alertType.keyJson(alert);
    const other = create(edgeproto.AlertSchema, { labels: { alertname: 'Other' }, state: 'firing' });
    await sink.apply({ type: 'edgeproto.Alert', key, rev: 1, obj: alert }, conn(6));
    await sink.apply({ type: 'edgeproto.Alert', key: alertType.keyJson(other), rev: 1, obj: other }, conn(7));
    expect(alerts().find((a) => a.labels['app'] === 'a1')).toMatchObject({
      notifyId: 6n,
      controller: 'ctrl-a',
    });
    await sink.flush(conn(6));
    expect(alerts().map((a) => a.labels['alertname'])).toEqual(['Other']);
    // a child's delete removes it
    await sink.apply({ type: 'edgeproto.Alert', key: alertType.keyJson(other), rev: 2 }, conn(7));
    expect(alerts()).toEqual([]);
  });

  it('keeps Nodes (not stored) in memory per connection', async () => {
    const node = (name: string): edgeproto.Node =>
      create(edgeproto.NodeSchema, {
        key: { name, type: 'crm', cloudletKey: cloudletKey('c1'), region: 'local' },
      });
    const nodeType = h.reg.get('Node');
    await sink.apply(
      { type: 'edgeproto.Node', key: nodeType.keyJson(node('n1')), rev: 1, obj: node('n1') },
      conn(8),
    );
    await sink.apply(
      { type: 'edgeproto.Node', key: nodeType.keyJson(node('n2')), rev: 1, obj: node('n2') },
      conn(9),
    );
    expect(sink.held<edgeproto.Node>('Node').map((n) => n.key?.name)).toEqual(['n1', 'n2']);
    expect(sink.held<edgeproto.Node>('Node')[0]?.notifyId).toBe(8n);
    await sink.flush(conn(8));
    expect(sink.held<edgeproto.Node>('Node').map((n) => n.key?.name)).toEqual(['n2']);
  });

  it('hands Metric messages to onMetric', () => {
    const m = create(edgeproto.MetricSchema, { name: 'cloudlet-usage' });
    sink.message('edgeproto.Metric', m, conn(1));
    sink.message('edgeproto.AutoProvCounts', m, conn(1));
    expect(metrics).toEqual([m]);
  });

  it("a report that cannot be applied does not break the connection's later work", async () => {
    const bad = create(edgeproto.AppInstInfoSchema, { state: TS.READY });
    await sink.apply({ type: 'edgeproto.AppInstInfo', key: '{}', rev: 1, obj: bad }, conn(3));
    await applyInfo(conn(3), CS.READY);
    expect(info()?.state).toBe(CS.READY);
  });
});
