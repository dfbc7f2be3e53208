import { dme, edgeproto } from '@edge/proto';
import type { Change } from '@edge/notify';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';
import { connectionPolicy } from './connection-policy';
import { crmPolicy, type PolicyDeps } from './crm-policy';
import { RegionReplicationSource } from './region-source';
import { replicatedTypes } from './send-order';
import { appFx, cloudletFx, cloudletInfo, cloudletKeyJson, seedTwoCloudlets } from './testing/fixtures';

const CS = dme.CloudletState;
const INFO = 'edgeproto.CloudletInfo';
const C1 = cloudletKeyJson('c1');

const appKey = (name: string): string => JSON.stringify({ organization: 'dev', name, version: '1' });
const clusterKey = (cluster: string, cloudlet: string): string =>
  JSON.stringify({
    cluster_key: { name: cluster },
    cloudlet_key: JSON.parse(cloudletKeyJson(cloudlet)),
    organization: 'dev',
  });
const appInstKey = (app: string, cluster: string, cloudlet: string): string =>
  JSON.stringify({
    app_key: JSON.parse(appKey(app)),
    cluster_inst_key: JSON.parse(clusterKey(cluster, cloudlet)),
  });

/** The parts of key JSONs the expectations read. */
interface KeyShape {
  name?: string;
  app_key?: { name: string };
  cluster_key?: { name: string };
  cloudlet_key?: { name: string };
  cluster_inst_key?: { cloudlet_key: { name: string } };
}
const label = (k: KeyShape): string =>
  k.name ??
  (k.app_key
    ? `${k.app_key.name}@${k.cluster_inst_key?.cloudlet_key.name}`
    : `${k.cluster_key?.name}@${k.cloudlet_key?.name}`);

/** "Type name" of changes (instances as name@cloudlet), for readable expectations. */
const names = (cs: readonly Change[] | undefined): string[] =>
  (cs ?? []).map((c) => `${c.type.replace('edgeproto.', '')} ${label(JSON.parse(c.key) as KeyShape)}`);

describe('crmPolicy', () => {
  let h: ControllerHarness;
  let source: RegionReplicationSource;
  let deps: PolicyDeps;
  const current = (type: string, key: string): Change => {
    const s = h.ctrl.cache.type(type).getWithRevision(key);
    if (!s) throw new Error(`no ${type} ${key}`);
    return { type: `edgeproto.${type}`, key, rev: s.modRevision, obj: s.obj };
  };
  const deleted = (type: string, key: string): Change => ({
    type: `edgeproto.${type}`,
    key,
    rev: h.ctrl.cache.revision + 1,
  });

  beforeEach(async () => {
    h = await startController();
    await seedTwoCloudlets(h);
    source = new RegionReplicationSource({ reg: h.reg, cache: h.ctrl.cache, kv: h.kv, region: 'local' });
    await source.start();
    deps = { reg: h.reg, cache: h.ctrl.cache, order: (t) => source.order(t) };
  });
  afterEach(async () => {
    source.stop();
    await h.close();
  });

  it('walks the original protocol: nothing filtered at first, the Cloudlet on INIT, its instances on READY', () => {
    const policy = crmPolicy(deps);
    expect(policy.defersSendAllEnd).toBe(true);
    const all = new Set(replicatedTypes(h.reg).map((t) => t.typeName));

    // initial send: no App, AppInst, Cloudlet, ClusterInst, VMPool, TrustPolicyException
    const initial = source.snapshot(all).objects.filter((c) => policy.allows(c));
    const types = new Set(initial.map((c) => c.type));
    expect(types).toContain('edgeproto.Flavor');
    for (const t of ['App', 'AppInst', 'Cloudlet', 'ClusterInst', 'VMPool', 'TrustPolicyException'])
      expect(types).not.toContain(`edgeproto.${t}`);

    // INIT: that Cloudlet and its VM pool, SENDALL_END still deferred
    const init = policy.onReceived?.(INFO, cloudletInfo('c1', CS.INIT), C1);
    expect(names(init?.send)).toEqual(['VMPool vp1', 'Cloudlet c1']);
    expect(init?.releaseSendAllEnd).toBeUndefined();
    expect(policy.allows(current('ClusterInst', clusterKey('k1', 'c1')))).toBe(false);
    expect(policy.allows(current('Cloudlet', C1))).toBe(true);

    // READY: every ClusterInst and AppInst of c1 (with its App), its org's exceptions; SENDALL_END released
    const ready = policy.onReceived?.(INFO, cloudletInfo('c1', CS.READY), C1);
    expect(names(ready?.send).sort()).toEqual(
      [
        'App a1',
        'AppInst a1@c1',
        'Cloudlet c1',
        'ClusterInst k1@c1',
        'TrustPolicyException tpe-op',
        'VMPool vp1',
      ].sort(),
    );
    expect(ready?.releaseSendAllEnd).toBe(true);
    const order = (ready?.send ?? []).map((c) => c.type);
    expect(order.indexOf('edgeproto.App')).toBeLessThan(order.indexOf('edgeproto.AppInst'));
    expect(order.indexOf('edgeproto.ClusterInst')).toBeLessThan(order.indexOf('edgeproto.AppInst'));

    // READY again: no second SENDALL_END, no second bulk send
    const again = policy.onReceived?.(INFO, cloudletInfo('c1', CS.READY), C1);
    expect(again?.releaseSendAllEnd).toBeUndefined();
    expect(names(again?.send)).toEqual(['VMPool vp1', 'Cloudlet c1']);
    expect(policy.cloudlets()).toEqual({ keys: [C1], ready: [C1] });
  });

  it('afterwards passes only what concerns its cloudlets; App updates always', async () => {
    const policy = crmPolicy(deps);
    policy.onReceived?.(INFO, cloudletInfo('c1', CS.READY), C1);
    expect(policy.allows(current('AppInst', appInstKey('a1', 'k1', 'c1')))).toBe(true);
    expect(policy.allows(current('ClusterInst', clusterKey('k1', 'c1')))).toBe(true);
    expect(policy.allows(deleted('AppInst', appInstKey('a1', 'k1', 'c1')))).toBe(true);
    expect(policy.allows(current('VMPool', JSON.stringify({ organization: 'op', name: 'vp1' })))).toBe(true);
    // another cloudlet: never
    expect(policy.allows(current('Cloudlet', cloudletKeyJson('c2')))).toBe(false);
    expect(policy.allows(current('AppInst', appInstKey('a2', 'k2', 'c2')))).toBe(false);
    expect(policy.allows(current('ClusterInst', clusterKey('k2', 'c2')))).toBe(false);
    expect(policy.allows(deleted('AppInst', appInstKey('a2', 'k2', 'c2')))).toBe(false);
    expect(policy.allows(deleted('Cloudlet', cloudletKeyJson('c2')))).toBe(false);
    expect(policy.allows(current('VMPool', JSON.stringify({ organization: 'op', name: 'vp2' })))).toBe(false);
    const otherTpe = JSON.stringify({
      app_key: JSON.parse(appKey('a1')),
      cloudlet_pool_key: { organization: 'other', name: 'pool' },
      name: 'tpe-other',
    });
    expect(policy.allows(current('TrustPolicyException', otherTpe))).toBe(false);
    // Apps: not as of the connection's start, but every later update
    expect(policy.allows(current('App', appKey('a3')))).toBe(false);
    await seed(h, appFx('a3'));
    expect(policy.allows(current('App', appKey('a3')))).toBe(true);
    // an AppInst update brings its App along
    expect(names(policy.related(current('AppInst', appInstKey('a1', 'k1', 'c1'))))).toEqual(['App a1']);
    expect(policy.related(current('AppInst', appInstKey('a2', 'k2', 'c2')))).toEqual([]);
    // a Cloudlet update brings its VM pool along
    expect(names(policy.related(current('Cloudlet', C1)))).toEqual(['VMPool vp1']);
    // the CloudletInfo deleted: the cloudlet is no longer the connection's
    policy.onReceived?.(INFO, undefined, C1);
    expect(policy.allows(current('AppInst', appInstKey('a1', 'k1', 'c1')))).toBe(false);
    expect(policy.allows(current('Cloudlet', C1))).toBe(false);
  });

  it('waits while an old CRM runs during an upgrade', async () => {
    await seed(h, [
      cloudletFx('c1', 'vp1')[0],
      edgeproto.CloudletSchema,
      { ...cloudletFx('c1', 'vp1')[2], state: edgeproto.TrackedState.UPDATING, containerVersion: 'v2' },
    ]);
    const policy = crmPolicy(deps);
    const old = { ...cloudletInfo('c1', CS.READY), containerVersion: 'v1' } as edgeproto.CloudletInfo;
    const r1 = policy.onReceived?.(INFO, old, C1);
    expect(names(r1?.send)).toEqual(['VMPool vp1', 'Cloudlet c1']);
    expect(r1?.releaseSendAllEnd).toBeUndefined();
    const upgraded = { ...cloudletInfo('c1', CS.READY), containerVersion: 'v2' } as edgeproto.CloudletInfo;
    expect(policy.onReceived?.(INFO, upgraded, C1)?.releaseSendAllEnd).toBe(true);
  });

  it('NEED_SYNC without the controller cache counts as ready', () => {
    const policy = crmPolicy(deps);
    const r = policy.onReceived?.(INFO, cloudletInfo('c1', CS.NEED_SYNC), C1);
    expect(r?.releaseSendAllEnd).toBe(true);
    expect(names(r?.send)).toContain('AppInst a1@c1');
  });

  it('resumes a CRM whose cloudlet is known at connect, without a bulk resend', async () => {
    const from = h.ctrl.cache.revision;
    const policy = crmPolicy(deps, { cloudlet: C1, resumeFrom: from });
    expect(policy.resumable).toBe(true);
    expect(policy.allows(current('AppInst', appInstKey('a1', 'k1', 'c1')))).toBe(true);
    expect(policy.allows(current('AppInst', appInstKey('a2', 'k2', 'c2')))).toBe(false);
    await seed(h, appFx('a3'));
    expect(policy.allows(current('App', appKey('a3')))).toBe(true);
    const r = policy.onReceived?.(INFO, cloudletInfo('c1', CS.READY), C1);
    expect(r?.releaseSendAllEnd).toBe(true);
    expect(names(r?.send)).toEqual(['VMPool vp1', 'Cloudlet c1']);
    expect(crmPolicy(deps, { resumeFrom: from }).resumable).toBe(false);
  });

  it('is only used for children that asked for the cloudlet filter', () => {
    const dmePolicy = connectionPolicy(deps, { filterCloudletKey: false });
    expect(dmePolicy.defersSendAllEnd).toBeFalsy();
    expect(dmePolicy.allows(current('AppInst', appInstKey('a2', 'k2', 'c2')))).toBe(true);
    expect(dmePolicy.allows(current('App', appKey('a3')))).toBe(true);
    const crm = connectionPolicy(deps, { filterCloudletKey: true });
    expect(crm.defersSendAllEnd).toBe(true);
    expect(crm.allows(current('AppInst', appInstKey('a2', 'k2', 'c2')))).toBe(false);
  });
});
