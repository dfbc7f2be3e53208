import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import { describeWithServers, testServers, uniqueName } from '@edge/testing';
import { collect } from '../testing/harness';
import { checkCloudletReady } from './cloudlet-ready';
import { eventually, outcome, stateWorld, type StateWorld } from './testing/world';

const TS = edgeproto.TrackedState;
const CRM_KEY = /^CRM access key \(shown once\):\n-----BEGIN PRIVATE KEY-----/;

function trackedSuite(name: string, start: () => Promise<StateWorld>): void {
  describe(name, () => {
    let w: StateWorld;
    const appKey = { organization: 'dev', name: 'web', version: '1' };
    const clusterKey = () => ({ clusterKey: { name: 'k1' }, cloudletKey: w.cloudlet, organization: 'dev' });
    const inst = (crmOverride = edgeproto.CRMOverride.NO_OVERRIDE) =>
      create(edgeproto.AppInstSchema, { key: { appKey, clusterInstKey: clusterKey() }, crmOverride });
    const appInsts = () => w.a.client(edgeproto.AppInstApi);
    const shownAt = async (h: 'a' | 'b') => collect(w[h].client(edgeproto.AppInstApi).showAppInst({}));
    const setCreateTimeout = (ns: bigint) =>
      w.a
        .client(edgeproto.SettingsApi)
        .updateSettings({ createAppInstTimeout: ns, fields: ['create_app_inst_timeout'] });

    beforeAll(async () => {
      w = await start();
      await w.a
        .client(edgeproto.FlavorApi)
        .createFlavor({ key: { name: 'x1.small' }, ram: 1024n, vcpus: 1n, disk: 10n });
      await w.a.client(edgeproto.AppApi).createApp({
        key: appKey,
        imageType: edgeproto.ImageType.DOCKER,
        imagePath: 'registry.example.com/dev/web:1',
        accessPorts: 'tcp:80',
        defaultFlavor: { name: 'x1.small' },
      });
    });
    afterAll(() => w.close());

    it('creates a Cloudlet: access key once, CRM progress, READY when its CloudletInfo is', async () => {
      const r = await outcome(
        w.a.client(edgeproto.CloudletApi).createCloudlet({
          key: w.cloudlet,
          location: { latitude: 50, longitude: 8 },
          numDynamicIps: 10,
        }),
      );
      expect(r.error).toBeUndefined();
      expect(r.messages[0]).toMatch(CRM_KEY);
      expect(r.messages.slice(1)).toEqual(['step 1', 'step 2', 'Created Cloudlet successfully']);
      const [c] = await collect(w.b.client(edgeproto.CloudletApi).showCloudlet({ key: w.cloudlet }));
      expect([c?.state, c?.crmAccessKeyUpgradeRequired]).toEqual([TS.READY, true]);
      expect(c?.crmAccessPublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const [info] = await collect(
        w.a.client(edgeproto.CloudletInfoApi).showCloudletInfo({ key: w.cloudlet }),
      );
      expect(info?.state).toBe(dme.CloudletState.READY);
    });

    it('creates a ClusterInst, the CRM reporting to the other Controller', async () => {
      const r = await outcome(
        w.a.client(edgeproto.ClusterInstApi).createClusterInst({
          key: clusterKey(),
          flavor: { name: 'x1.small' },
          deployment: 'kubernetes',
          numMasters: 1,
          numNodes: 1,
          ipAccess: edgeproto.IpAccess.DEDICATED,
        }),
      );
      expect(r.error).toBeUndefined();
      expect(r.messages.slice(-3)).toEqual(['step 1', 'step 2', 'Created ClusterInst successfully']);
      const [ci] = await collect(w.b.client(edgeproto.ClusterInstApi).showClusterInst({ key: clusterKey() }));
      expect(ci?.state).toBe(TS.READY);
    });

    it('creates an AppInst to READY with health OK, and deletes it until it is gone', async () => {
      const created = await outcome(appInsts().createAppInst(inst()));
      expect(created).toEqual({ messages: ['step 1', 'step 2', 'Created AppInst successfully'] });
      const [ai] = await shownAt('b');
      expect([ai?.state, ai?.healthCheck]).toEqual([TS.READY, dme.HealthCheck.OK]);
      const deleted = await outcome(appInsts().deleteAppInst(inst()));
      expect(deleted).toEqual({
        messages: ['step 1', 'step 2', 'NotPresent', 'Deleted AppInst successfully'],
      });
      expect(await shownAt('a')).toEqual([]);
      expect(await shownAt('b')).toEqual([]);
      expect(w.a.ctrl.cache.listRaw('Stream/AppInst/')).toEqual([]);
    });

    it('undoes a create the CRM failed, leaving no object', async () => {
      w.crm.setScripts(() => ({ messages: ['working'], fail: ['out of quota', 'disk full'] }));
      const r = await outcome(appInsts().createAppInst(inst()));
      w.crm.setScripts(() => ({ messages: ['step 1', 'step 2'] }));
      expect(r.messages).toEqual(['working', 'Deleting AppInst due to failure']);
      expect(r.error?.message).toBe('Encountered failures: out of quota, disk full');
      expect(await shownAt('a')).toEqual([]);
    });

    it('times out: an error (and undo) when the CRM never answered', async () => {
      await setCreateTimeout(300_000_000n);
      w.crm.setScripts(() => ({ stall: 'silent' }));
      const r = await outcome(appInsts().createAppInst(inst()));
      w.crm.setScripts(() => ({ messages: ['step 1', 'step 2'] }));
      await w.a.client(edgeproto.SettingsApi).resetSettings({});
      expect(r.messages).toEqual(['Deleting AppInst due to failure']);
      expect(r.error?.message).toBe('Timed out; expected state Ready but is TrackedStateUnknown');
      expect(await shownAt('a')).toEqual([]);
    });

    it('times out: only a message while the CRM is still at work', async () => {
      await setCreateTimeout(300_000_000n);
      w.crm.setScripts(() => ({ messages: ['working'], stall: 'transition' }));
      const r = await outcome(appInsts().createAppInst(inst()));
      w.crm.setScripts(() => ({ messages: ['step 1', 'step 2'] }));
      await w.a.client(edgeproto.SettingsApi).resetSettings({});
      expect(r).toEqual({
        messages: [
          'working',
          'Timed out while work still in progress state Creating. Please use ShowAppInst to check current status',
        ],
      });
      expect((await shownAt('a'))[0]?.state).toBe(TS.CREATING);
      const busy = await outcome(appInsts().deleteAppInst(inst()));
      expect(busy.error?.message).toBe('AppInst busy, cannot be deleted');
      const forced = await outcome(
        appInsts().deleteAppInst(inst(edgeproto.CRMOverride.IGNORE_CRM_AND_TRANSIENT_STATE)),
      );
      expect(forced).toEqual({ messages: ['Deleted AppInst successfully'] });
      expect(await shownAt('a')).toEqual([]);
    });

    it('refuses a second operation while one is in progress; StreamAppInst replays and follows', async () => {
      w.crm.setScripts(() => ({ messages: ['a', 'b', 'c'], delayMs: 150 }));
      const it1 = appInsts().createAppInst(inst())[Symbol.asyncIterator]();
      const first = await it1.next();
      expect(first.value?.message).toBe('a');
      const keyJson = w.depsA.reg.get('AppInst').keyJson(inst());
      const again = await outcome(appInsts().createAppInst(inst()));
      expect(again.error?.message).toBe(
        `An action is already in progress for the object AppInstStreamKey: ${keyJson}`,
      );
      const attached = outcome(w.b.client(edgeproto.StreamObjApi).streamAppInst(inst().key ?? {}));
      const rest: string[] = [];
      for (let n = await it1.next(); !n.done; n = await it1.next()) rest.push(n.value.message);
      w.crm.setScripts(() => ({ messages: ['step 1', 'step 2'] }));
      expect(['a', ...rest]).toEqual(['a', 'b', 'c', 'Created AppInst successfully']);
      expect(await attached).toEqual({ messages: ['a', 'b', 'c', 'Created AppInst successfully'] });
    });

    it('ignores CRM transitions that are not in the whitelist', async () => {
      const info = (state: edgeproto.TrackedState) =>
        create(edgeproto.AppInstInfoSchema, { key: inst().key, state, errors: ['x'] });
      await w.intakeB.applyAppInstInfo(info(TS.CREATING));
      await w.intakeB.applyAppInstInfo(info(TS.CREATE_ERROR));
      await w.intakeB.applyAppInstInfo(info(TS.DELETE_DONE));
      const [ai] = await shownAt('a');
      expect([ai?.state, ai?.errors]).toEqual([TS.READY, []]);
    });

    it('updates a ClusterInst and refreshes an AppInst through the CRM', async () => {
      const upd = await outcome(
        w.a
          .client(edgeproto.ClusterInstApi)
          .updateClusterInst({ key: clusterKey(), numNodes: 2, fields: ['num_nodes'] }),
      );
      expect(upd).toEqual({ messages: ['step 1', 'step 2', 'Updated ClusterInst successfully'] });
      const refresh = await outcome(appInsts().refreshAppInst({ key: inst().key, forceUpdate: true }));
      expect(refresh).toEqual({ messages: ['step 1', 'step 2', 'Successfully updated AppInst'] });
    });

    it('marks a disconnected CRM OFFLINE with alerts and AppInst health, and clears them on reconnect', async () => {
      await w.intakeB.cloudletDisconnected(w.cloudlet);
      const [info] = await collect(
        w.a.client(edgeproto.CloudletInfoApi).showCloudletInfo({ key: w.cloudlet }),
      );
      expect(info?.state).toBe(dme.CloudletState.OFFLINE);
      await eventually(() => w.a.ctrl.cache.type('Alert').size === 2);
      const alerts = await collect(w.a.client(edgeproto.AlertApi).showAlert({}));
      const down = alerts.find((a) => a.labels['alertname'] === 'CloudletDown');
      expect(down?.labels).toEqual({
        alertname: 'CloudletDown',
        scope: 'Cloudlet',
        cloudlet: 'c1',
        cloudletorg: 'op',
        region: w.region,
        severity: 'error',
      });
      expect(down?.annotations['description']).toBe('Cloudlet resource manager is offline');
      expect(alerts.find((a) => a.labels['alertname'] === 'AppInstDown')?.labels['status']).toBe(
        'HealthCheckCloudletOffline',
      );
      expect((await shownAt('b'))[0]?.healthCheck).toBe(dme.HealthCheck.CLOUDLET_OFFLINE);
      await expect(checkCloudletReady(w.depsA, w.cloudlet)).rejects.toThrow(
        'Cloudlet organization:"op" name:"c1"  not ready, state is CLOUDLET_STATE_OFFLINE',
      );
      await w.crm.connect();
      await eventually(() => w.a.ctrl.cache.type('Alert').size === 0);
      expect((await shownAt('a'))[0]?.healthCheck).toBe(dme.HealthCheck.OK);
      await checkCloudletReady(w.depsA, w.cloudlet);
    });

    it('deletes the AppInst, ClusterInst and Cloudlet', async () => {
      expect((await outcome(appInsts().deleteAppInst(inst()))).error).toBeUndefined();
      const ci = await outcome(w.a.client(edgeproto.ClusterInstApi).deleteClusterInst({ key: clusterKey() }));
      expect(ci).toEqual({
        messages: ['step 1', 'step 2', 'NotPresent', 'Deleted ClusterInst successfully'],
      });
      const cl = await outcome(w.a.client(edgeproto.CloudletApi).deleteCloudlet({ key: w.cloudlet }));
      expect(cl).toEqual({ messages: ['Deleted Cloudlet successfully'] });
      expect(await collect(w.b.client(edgeproto.CloudletApi).showCloudlet({}))).toEqual([]);
    });
  });
}

trackedSuite('TrackedState machine on MemStore', () => stateWorld());

describeWithServers('TrackedState machine on etcd', () => {
  trackedSuite('etcd', () => stateWorld({ etcd: testServers().etcd, region: uniqueName('r') }));
});
