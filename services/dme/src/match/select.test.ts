import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { DmeTable } from '../state/dme-table';
import type { DmeApp } from '../state/model';
import { appKey, putApp, putCloudlet, putInst } from '../testing/fixtures';
import { AutoProvStats } from './autoprov-stats';
import { distanceKm } from './geo';
import { Selector } from './select';

const APP = JSON.stringify(appKey());
// Client in Frankfurt; cloudlets at increasing distances.
const ME = { lat: 50.11, lon: 8.68 };

function world(): { t: DmeTable; app: () => DmeApp } {
  const t = new DmeTable();
  putApp(t);
  return { t, app: () => t.apps.get(APP)! };
}
const pick = (s: Selector, app: DmeApp, carrier = '', limit = 1) =>
  s.find(app, carrier, ME.lat, ME.lon, limit).map((f) => f.inst.cloudletName);

describe('FindCloudlet selection (reference §4.4)', () => {
  it('returns the nearest usable instance; an empty carrier searches every carrier', () => {
    const { t, app } = world();
    putCloudlet(t, 'near', 'opA', 50.0, 8.5);
    putCloudlet(t, 'far', 'opB', 48.1, 11.6);
    putInst(t, 'near', 'opA', 50.0, 8.5);
    putInst(t, 'far', 'opB', 48.1, 11.6);
    const s = new Selector(t, { randomizeVeryClose: false });
    expect(pick(s, app())).toEqual(['near']);
    expect(pick(s, app(), 'opB')).toEqual(['far']);
    expect(pick(s, app(), 'nobody')).toEqual([]);
    expect(pick(s, app(), '', 3)).toEqual(['near', 'far']);
  });

  it('translates operator codes to the operator organization', () => {
    const { t, app } = world();
    putCloudlet(t, 'c', 'opB', 48.1, 11.6);
    putInst(t, 'c', 'opB', 48.1, 11.6);
    const oc = create(edgeproto.OperatorCodeSchema, { code: '26201', organization: 'opB' });
    t.apply({ type: 'edgeproto.OperatorCode', key: '"26201"', rev: 1, obj: oc });
    const s = new Selector(t, { randomizeVeryClose: false });
    expect(pick(s, app(), '26201')).toEqual(['c']);
  });

  it('always considers public clouds, padded by 100 km when a cellular carrier is named', () => {
    const { t, app } = world();
    // gcp is 60 km closer than the carrier's cloudlet: unpadded it wins, padded it loses.
    putCloudlet(t, 'gcp-fra', 'gcp', 50.11, 8.68);
    putCloudlet(t, 'cell', 'opA', 50.11 + 60 / 111.2, 8.68);
    putInst(t, 'gcp-fra', 'gcp', 50.11, 8.68);
    putInst(t, 'cell', 'opA', 50.11 + 60 / 111.2, 8.68);
    const s = new Selector(t, { randomizeVeryClose: false });
    expect(pick(s, app(), '')).toEqual(['gcp-fra']);
    expect(pick(s, app(), 'gcp')).toEqual(['gcp-fra']);
    const [f] = s.find(app(), 'opA', ME.lat, ME.lon, 2);
    expect(f?.inst.cloudletName).toBe('cell');
    const both = s.find(app(), 'opA', ME.lat, ME.lon, 2);
    expect(both[1]?.inst.cloudletName).toBe('gcp-fra');
    expect(both[1]?.distance).toBeCloseTo(100, 5);
    // Only public clouds for an unknown carrier.
    expect(pick(s, app(), 'opZ')).toEqual(['gcp-fra']);
  });

  it('skips instances in maintenance, unhealthy, not READY or on an offline cloudlet: next nearest wins', () => {
    const { t, app } = world();
    putCloudlet(t, 'c0', 'op', 50.1, 8.7);
    putCloudlet(t, 'c1', 'op', 50.2, 8.7, { maintenance: dme.MaintenanceState.UNDER_MAINTENANCE });
    putCloudlet(t, 'c2', 'op', 50.3, 8.7, { state: dme.CloudletState.OFFLINE });
    putCloudlet(t, 'c3', 'op', 50.4, 8.7);
    putCloudlet(t, 'c4', 'op', 50.5, 8.7);
    putCloudlet(t, 'c5', 'op', 50.6, 8.7);
    putInst(t, 'c0', 'op', 50.1, 8.7, { health: dme.HealthCheck.SERVER_FAIL });
    putInst(t, 'c1', 'op', 50.2, 8.7);
    putInst(t, 'c2', 'op', 50.3, 8.7);
    putInst(t, 'c3', 'op', 50.4, 8.7, { state: edgeproto.TrackedState.CREATING });
    putInst(t, 'c4', 'op', 50.5, 8.7, { health: dme.HealthCheck.UNKNOWN });
    putInst(t, 'c5', 'op', 50.6, 8.7);
    const s = new Selector(t, { randomizeVeryClose: false });
    expect(pick(s, app(), '', 10)).toEqual(['c4', 'c5']);
    // Health comes back, cloudlet leaves maintenance: they are offered again.
    putInst(t, 'c0', 'op', 50.1, 8.7);
    putCloudlet(t, 'c1', 'op', 50.2, 8.7);
    expect(pick(s, app(), '', 3)).toEqual(['c0', 'c1', 'c4']);
    // CloudletInfo deleted: the cloudlet is no longer READY.
    t.apply({
      type: 'edgeproto.CloudletInfo',
      key: JSON.stringify({ organization: 'op', name: 'c0' }),
      rev: 2,
    });
    expect(pick(s, app())).toEqual(['c1']);
  });

  it('breaks exact distance ties by key', () => {
    const { t, app } = world();
    putCloudlet(t, 'same', 'op', 50.2, 8.7);
    putInst(t, 'same', 'op', 50.2, 8.7, { cluster: 'zz' });
    putInst(t, 'same', 'op', 50.2, 8.7, { cluster: 'aa' });
    const s = new Selector(t, { randomizeVeryClose: false });
    const [f] = s.find(app(), '', ME.lat, ME.lon, 1);
    expect(f?.inst.clusterName).toBe('aa');
  });

  it('chooses at random between candidates within 1 km (injected random source)', () => {
    const { t, app } = world();
    putCloudlet(t, 'a', 'op', 50.2, 8.7);
    putCloudlet(t, 'b', 'op', 50.2 + 0.5 / 111.2, 8.7); // 0.5 km farther
    putCloudlet(t, 'c', 'op', 50.2 + 5 / 111.2, 8.7); // 5 km farther: never
    for (const c of ['a', 'b']) putInst(t, c, 'op', c === 'a' ? 50.2 : 50.2 + 0.5 / 111.2, 8.7);
    putInst(t, 'c', 'op', 50.2 + 5 / 111.2, 8.7);
    expect(pick(new Selector(t, { random: () => 0.9 }), app())).toEqual(['a']);
    expect(pick(new Selector(t, { random: () => 0.1 }), app())).toEqual(['b']);
    let n = 0;
    const seen = new Set<string>();
    const s = new Selector(t, { random: () => (n++ % 2 === 0 ? 0.1 : 0.9) });
    for (let i = 0; i < 4; i++) seen.add(pick(s, app())[0]!);
    expect([...seen].sort()).toEqual(['a', 'b']);
  });

  it('searches alliance instances only when a carrier is named', () => {
    const { t, app } = world();
    putCloudlet(t, 'partner', 'opB', 50.1, 8.7, { alliance: ['opA'] });
    putInst(t, 'partner', 'opB', 50.1, 8.7);
    putCloudlet(t, 'own', 'opA', 52.5, 13.4);
    putInst(t, 'own', 'opA', 52.5, 13.4);
    const s = new Selector(t, { randomizeVeryClose: false });
    const res = s.find(app(), 'opA', ME.lat, ME.lon, 2);
    expect(res.map((f) => [f.inst.cloudletName, f.carrier])).toEqual([
      ['partner', 'opA'],
      ['own', 'opA'],
    ]);
    expect(pick(s, app(), '', 3)).toEqual(['partner', 'own']);
  });

  it('drops instances and empty carriers on delete and prune', () => {
    const { t, app } = world();
    putCloudlet(t, 'c', 'op', 50.1, 8.7);
    const k = putInst(t, 'c', 'op', 50.1, 8.7);
    const s = new Selector(t, { randomizeVeryClose: false });
    expect(pick(s, app())).toEqual(['c']);
    t.prune(new Set(['edgeproto.AppInst']), new Set());
    expect(pick(s, app())).toEqual([]);
    expect(app().carriers.size).toBe(0);
    expect(t.appInst(k)).toBeUndefined();
  });

  it('matches a linear scan on many random instances', () => {
    const { t, app } = world();
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pts: { name: string; lat: number; lon: number }[] = [];
    for (let i = 0; i < 2000; i++) {
      const p = { name: `c${i}`, lat: rnd() * 180 - 90, lon: rnd() * 360 - 180 };
      pts.push(p);
      putCloudlet(t, p.name, i % 3 === 0 ? 'aws' : 'op', p.lat, p.lon);
      putInst(t, p.name, i % 3 === 0 ? 'aws' : 'op', p.lat, p.lon);
    }
    const s = new Selector(t, { randomizeVeryClose: false });
    for (let q = 0; q < 200; q++) {
      const lat = rnd() * 180 - 90;
      const lon = rnd() * 360 - 180;
      const want = pts
        .map((p, i) => ({ n: p.name, d: distanceKm(lat, lon, p.lat, p.lon) + (i % 3 === 0 ? 100 : 0) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, 3)
        .map((x) => x.n);
      expect(s.find(app(), 'op', lat, lon, 3).map((f) => f.inst.cloudletName)).toEqual(want);
      expect(s.find(app(), 'op', lat, lon, 1).map((f) => f.inst.cloudletName)).toEqual(want.slice(0, 1));
    }
  });

  it('counts auto-provisioning demand for a closer policy cloudlet (step 7)', () => {
    const { t, app } = world();
    const policy = create(edgeproto.AutoProvPolicySchema, {
      key: { organization: 'dev', name: 'p1' },
      deployClientCount: 2,
      deployIntervalCount: 1,
      cloudlets: [{ key: { organization: 'op', name: 'pc' }, loc: { latitude: 50.11, longitude: 8.69 } }],
    });
    t.apply({
      type: 'edgeproto.AutoProvPolicy',
      key: JSON.stringify({ organization: 'dev', name: 'p1' }),
      rev: 1,
      obj: policy,
    });
    putApp(t, { autoProvPolicies: ['p1'] });
    putCloudlet(t, 'far', 'op', 52.5, 13.4);
    putInst(t, 'far', 'op', 52.5, 13.4);
    const sent: edgeproto.AutoProvCounts[] = [];
    const stats = new AutoProvStats(
      'dme-1',
      (c) => sent.push(c),
      () => 1000,
    );
    const s = new Selector(t, { randomizeVeryClose: false, autoProv: stats });
    expect(pick(s, app())).toEqual(['far']);
    expect(sent).toHaveLength(0);
    expect(pick(s, app())).toEqual(['far']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.counts[0]).toMatchObject({
      count: 2n,
      processNow: true,
      cloudletKey: { organization: 'op', name: 'pc' },
      deployNowKey: { clusterKey: { name: 'autocluster-autoprov' }, organization: 'MobiledgeX' },
    });
    stats.flush();
    expect(sent[1]).toMatchObject({ dmeNodeName: 'dme-1', counts: [{ count: 2n, processNow: false }] });
    stats.flush();
    expect(sent).toHaveLength(2);
  });
});
