// Restarts against a real Controller (etcd): a CRM stopped mid-create, leftovers on the
// platform, a Controller that goes away and comes back.
import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { appInstKeyJson } from '@edge/platform';
import { describeWithServers } from '@edge/testing';
import { collect } from '../../controller/src/testing/harness';
import type { Crm } from './crm';
import { C1, CrmWorld, outcome, waitFor } from './testing/crm-world';

const TS = edgeproto.TrackedState;
const CLUSTER_KEY = { clusterKey: { name: 'k1' }, cloudletKey: C1, organization: 'dev' };
const appKey = (name: string) => ({ organization: 'dev', name, version: '1' });
const instKey = (app: string) => ({ appKey: appKey(app), clusterInstKey: CLUSTER_KEY });

describeWithServers('CRM restarts (real Controller, etcd, fake platform)', (servers) => {
  let w: CrmWorld;
  let crm: Crm;
  beforeEach(async () => {
    w = await new CrmWorld(servers).start();
    const { done } = await w.createCloudlet();
    crm = await w.startCrm();
    expect((await done).error).toBeUndefined();
    await w.h
      .client(edgeproto.FlavorApi)
      .createFlavor({ key: { name: 'x1.small' }, ram: 1024n, vcpus: 1n, disk: 10n });
    for (const [name, port] of [
      ['web', 80],
      ['api', 81],
    ] as const) {
      await w.h.client(edgeproto.AppApi).createApp({
        key: appKey(name),
        imageType: edgeproto.ImageType.DOCKER,
        imagePath: `registry.example.com/dev/${name}:1`,
        accessPorts: `tcp:${port}`,
        defaultFlavor: { name: 'x1.small' },
      });
    }
    const ci = await outcome(
      w.h.client(edgeproto.ClusterInstApi).createClusterInst({
        key: CLUSTER_KEY,
        flavor: { name: 'x1.small' },
        deployment: 'kubernetes',
        numMasters: 1,
        numNodes: 1,
        ipAccess: edgeproto.IpAccess.DEDICATED,
      }),
    );
    expect(ci.error).toBeUndefined();
  });
  afterEach(() => w.close());

  const appInsts = () => w.h.client(edgeproto.AppInstApi);
  const stored = (app: string) =>
    w.h.ctrl.cache
      .type<edgeproto.AppInst>('AppInst')
      .get(appInstKeyJson(create(edgeproto.AppInstKeySchema, instKey(app))));
  const cloudletReady = () =>
    w.h.ctrl.cache.type<edgeproto.CloudletInfo>('CloudletInfo').get(JSON.stringify(C1))?.state === 2;

  it('a CRM stopped in the middle of a create: the create fails, is undone, and nothing is left', async () => {
    w.controls.setDelay('createAppInst', 60_000);
    const pending = outcome(appInsts().createAppInst({ key: instKey('web') }));
    await waitFor(() => stored('web')?.state === TS.CREATING, 'CREATING');
    await w.stopCrm(crm);
    w.controls.reset();

    crm = await w.startCrm();
    expect(w.h.notify.server.children()[0]?.resumed).toBe(true); // from the persisted revision
    const r = await pending;
    expect(r.error?.message).toBe('Encountered failures: inconsistent Controller vs CRM state');
    expect(r.messages).toEqual([
      'Creating',
      'Creating App Inst',
      'CreateError',
      'Deleting AppInst due to failure',
    ]);
    expect(stored('web')).toBeUndefined();
    expect(await crm.platform()?.listAppInsts()).toEqual([]);
    expect(await crm.platform()?.listClusterInsts()).toHaveLength(1);

    // The cloudlet works as before.
    expect((await outcome(appInsts().createAppInst({ key: instKey('web') }))).error).toBeUndefined();
  });

  it('deletes from the platform what is no longer desired after a restart', async () => {
    expect((await outcome(appInsts().createAppInst({ key: instKey('web') }))).error).toBeUndefined();
    await w.stopCrm(crm);
    // While the CRM is down: the Controller forgets `web` without it, and `api` appears on
    // the platform without the Controller ever knowing it.
    const del = await outcome(
      appInsts().deleteAppInst({ key: instKey('web'), crmOverride: edgeproto.CRMOverride.IGNORE_CRM }),
    );
    expect(del.error).toBeUndefined();
    const app = create(edgeproto.AppSchema, { key: appKey('api'), deployment: 'kubernetes' });
    w.infra.addAppInst({
      appInst: create(edgeproto.AppInstSchema, { key: instKey('api') }),
      app,
      clusterInst: undefined,
    });
    expect(w.infra.appInsts.size).toBe(2);

    crm = await w.startCrm();
    await waitFor(() => w.infra.appInsts.size === 0, 'leftovers deleted');
    await crm.idle();
    expect(await crm.platform()?.listClusterInsts()).toHaveLength(1);
  });

  it('a delete of what the platform no longer has is done at once', async () => {
    expect((await outcome(appInsts().createAppInst({ key: instKey('web') }))).error).toBeUndefined();
    w.infra.appInsts.clear();
    const del = await outcome(appInsts().deleteAppInst({ key: instKey('web') }));
    expect(del).toEqual({
      messages: ['Deleting', 'DeleteDone', 'NotPresent', 'Deleted AppInst successfully'],
    });
  });

  it('keeps its state while the Controller is away, and resumes when it is back', async () => {
    expect((await outcome(appInsts().createAppInst({ key: instKey('web') }))).error).toBeUndefined();
    const sessions = crm.client.stats().sessions;
    const port = await w.stopController();

    // Edge autonomy: instances stay, the desired state and reports are intact.
    expect(crm.cache.keys('edgeproto.AppInst')).toHaveLength(1);
    expect(await crm.platform()?.listAppInsts()).toHaveLength(1);
    expect(crm.cloudletInfo().state).toBe(2);

    await w.startController(port);
    await waitFor(
      () => crm.client.stats().sessions > sessions && cloudletReady(),
      'CRM back and READY',
      15_000,
    );
    expect(w.h.notify.server.children()[0]?.resumed).toBe(true);
    const [ai] = await collect(appInsts().showAppInst({ key: instKey('web') }));
    expect(ai?.state).toBe(TS.READY);

    const r = await outcome(appInsts().createAppInst({ key: instKey('api') }));
    expect(r.error).toBeUndefined();
    expect(await crm.platform()?.listAppInsts()).toHaveLength(2);
  });
});
