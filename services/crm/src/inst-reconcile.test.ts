// The reconcile rules of ClusterInsts and AppInsts, in memory: desired state in a CrmCache,
// reports recorded, the fake platform.
import { create, createRegistry, type Message } from '@bufbuild/protobuf';
import { silentLogger } from '@edge/log';
import { registryCodec } from '@edge/notify';
import { FakePlatform } from '@edge/platform';
import { allFiles, edgeproto, ObjectRegistry } from '@edge/proto';
import { Reconciler } from '@edge/reconcile';
import { CrmCache } from './crm-cache';
import { InstInfos } from './infos';
import { INCONSISTENT, instId, instReconcile } from './inst-reconcile';
import { APP_INST, CLUSTER_INST, kindOfType } from './kinds';

const TS = edgeproto.TrackedState;
const codec = registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));
const C1 = { organization: 'op', name: 'c1' };
const clusterKey = (name: string) => ({ clusterKey: { name }, cloudletKey: C1, organization: 'dev' });
const cluster = (state: edgeproto.TrackedState, name = 'k1') =>
  create(edgeproto.ClusterInstSchema, {
    key: clusterKey(name),
    state,
    numNodes: 1,
    deployment: 'kubernetes',
  });
const appInst = (state: edgeproto.TrackedState, extra: Partial<{ flavor: string; cluster: string }> = {}) =>
  create(edgeproto.AppInstSchema, {
    key: {
      appKey: { organization: 'dev', name: 'web', version: '1' },
      clusterInstKey: clusterKey(extra.cluster ?? 'k1'),
    },
    flavor: { name: extra.flavor ?? 'x1.small' },
    state,
  });

function world() {
  const cache = new CrmCache({ order: () => 0 });
  const reports: { type: string; key: string; state?: number; errors?: string[]; msgs?: string[] }[] = [];
  const infos = new InstInfos({
    update: (type, key, obj) => {
      const i = obj as (edgeproto.AppInstInfo & Message) | undefined;
      reports.push({
        type,
        key,
        ...(i ? { state: i.state, errors: i.errors, msgs: i.status?.msgs ?? [] } : {}),
      });
    },
    message: () => {},
  });
  const platform = new FakePlatform();
  let rev = 0;
  const put = (obj: Message) => {
    const type = obj.$typeName;
    cache.apply({ type, key: codec.keyJson(type, obj), rev: ++rev, obj });
  };
  const reconciler = new Reconciler({
    reconcile: instReconcile({
      infos,
      log: silentLogger(),
      resources: { begin: () => {}, end: () => {} },
      platform,
      cache,
      cloudletKeyJson: JSON.stringify(C1),
      codec,
    }),
  });
  cache.subscribe((changes) => {
    for (const c of changes) {
      const kind = kindOfType(c.type);
      if (kind) reconciler.enqueue(instId(kind, c.key));
    }
  });
  reconciler.start();
  put(create(edgeproto.FlavorSchema, { key: { name: 'x1.small' }, vcpus: 1n, ram: 1024n, disk: 10n }));
  put(
    create(edgeproto.AppSchema, {
      key: { organization: 'dev', name: 'web', version: '1' },
      deployment: 'kubernetes',
    }),
  );
  const last = (type: string) => reports.filter((r) => r.type === type).at(-1);
  return { cache, reports, platform, put, reconciler, infos, last };
}

describe('instance reconcile rules', () => {
  it('records what arrives READY without touching the platform', async () => {
    const w = world();
    w.put(cluster(TS.READY));
    await w.reconciler.idle();
    expect(w.last('edgeproto.ClusterInstInfo')).toMatchObject({ state: TS.READY });
    expect(await w.platform.listClusterInsts()).toEqual([]);
  });

  it('errors CREATING / UPDATING that this CRM is not running (restarted mid-operation)', async () => {
    const w = world();
    w.put(cluster(TS.CREATING));
    w.put(appInst(TS.UPDATING));
    await w.reconciler.idle();
    expect(w.last('edgeproto.ClusterInstInfo')).toMatchObject({
      state: TS.CREATE_ERROR,
      errors: [INCONSISTENT],
      msgs: ['CreateError'],
    });
    expect(w.last('edgeproto.AppInstInfo')).toMatchObject({ state: TS.UPDATE_ERROR, errors: [INCONSISTENT] });
  });

  it('finishes a DELETING it did not see end, whether or not the platform still has it', async () => {
    const w = world();
    w.platform.infra.addCluster(cluster(TS.READY));
    w.put(cluster(TS.DELETING));
    w.put(cluster(TS.DELETING, 'k2'));
    await w.reconciler.idle();
    expect(await w.platform.listClusterInsts()).toEqual([]);
    const states = w.reports.filter(
      (r) => r.type === 'edgeproto.ClusterInstInfo' && r.state === TS.DELETE_DONE,
    );
    expect(states.map((r) => JSON.parse(r.key).cluster_key.name).sort()).toEqual(['k1', 'k2']);
  });

  it('acts on a new request even when the states in between were never seen', async () => {
    const w = world();
    w.put(cluster(TS.CREATE_REQUESTED));
    await w.reconciler.idle();
    expect(w.last('edgeproto.ClusterInstInfo')?.state).toBe(TS.READY);
    // The Controller's READY and the next UPDATE_REQUESTED arrive as one.
    w.put(cluster(TS.UPDATE_REQUESTED));
    await w.reconciler.idle();
    expect(w.last('edgeproto.ClusterInstInfo')).toMatchObject({
      state: TS.READY,
      msgs: ['Updating', 'Updating Cluster Inst', 'Getting Cluster Infra Resources', 'Ready'],
    });
    // The Controller catching up with what was reported changes nothing.
    const n = w.reports.length;
    w.put(cluster(TS.UPDATING));
    w.put(cluster(TS.READY));
    await w.reconciler.idle();
    expect(w.reports.length).toBe(n);
  });

  it('refuses an AppInst whose flavor or cluster it does not know', async () => {
    const w = world();
    w.put(appInst(TS.CREATE_REQUESTED, { flavor: 'x9' }));
    await w.reconciler.idle();
    expect(w.last('edgeproto.AppInstInfo')).toMatchObject({
      state: TS.CREATE_ERROR,
      errors: ['Flavor x9 not found'],
    });
    w.cache.apply({ type: APP_INST.type, key: w.reports.at(-1)?.key ?? '', rev: 99 });
    await w.reconciler.idle();
    w.put(appInst(TS.CREATE_REQUESTED, { cluster: 'k9' }));
    await w.reconciler.idle();
    expect(w.last('edgeproto.AppInstInfo')).toMatchObject({
      state: TS.CREATE_ERROR,
      errors: ['Cluster instance k9 not found'],
    });
  });

  it('reports nothing for an operation interrupted by a stop', async () => {
    const w = world();
    w.platform.controls.setDelay('createClusterInst', 60_000);
    w.put(cluster(TS.CREATE_REQUESTED));
    const running = () => w.last('edgeproto.ClusterInstInfo')?.state === TS.CREATING;
    for (let i = 0; i < 200 && !running(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(running()).toBe(true);
    await w.reconciler.stop();
    expect(w.last('edgeproto.ClusterInstInfo')?.state).toBe(TS.CREATING);
    expect(w.infos.get(CLUSTER_INST, w.reports.at(-1)?.key ?? '')?.state).toBe(TS.CREATING);
  });
});
