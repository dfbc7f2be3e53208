// ClusterInsts and AppInsts through the Controller's API, carried out by a CRM on the fake
// platform: progress streamed, states, runtime, resource snapshots, failures, Shepherd.
import { create, createRegistry } from '@bufbuild/protobuf';
import { MemorySink, NotifyClient, registryCodec } from '@edge/notify';
import { allFiles, dme, edgeproto, ObjectRegistry } from '@edge/proto';
import { describeWithServers } from '@edge/testing';
import { collect } from '../../controller/src/testing/harness';
import type { Crm } from './crm';
import { C1, CrmWorld, outcome, waitFor } from './testing/crm-world';

const TS = edgeproto.TrackedState;
const CLUSTER_KEY = { clusterKey: { name: 'k1' }, cloudletKey: C1, organization: 'dev' };
const APP_KEY = { organization: 'dev', name: 'web', version: '1' };
const INST_KEY = { appKey: APP_KEY, clusterInstKey: CLUSTER_KEY };
const codec = registryCodec(new ObjectRegistry(allFiles), createRegistry(...allFiles));

describeWithServers('CRM instances (real Controller, etcd, fake platform)', (servers) => {
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
    await w.h.client(edgeproto.AppApi).createApp({
      key: APP_KEY,
      imageType: edgeproto.ImageType.DOCKER,
      imagePath: 'registry.example.com/dev/web:1',
      accessPorts: 'tcp:80',
      defaultFlavor: { name: 'x1.small' },
    });
  });
  afterEach(() => w.close());

  const clusters = () => w.h.client(edgeproto.ClusterInstApi);
  const appInsts = () => w.h.client(edgeproto.AppInstApi);
  const createCluster = () =>
    outcome(
      clusters().createClusterInst({
        key: CLUSTER_KEY,
        flavor: { name: 'x1.small' },
        deployment: 'kubernetes',
        numMasters: 1,
        numNodes: 1,
        ipAccess: edgeproto.IpAccess.DEDICATED,
      }),
    );

  it('creates a cluster and an app instance with streamed progress, and deletes them', async () => {
    const ci = await createCluster();
    expect(ci).toEqual({
      messages: [
        'Creating',
        'First Create Task',
        'Second Create Task',
        'Getting Cluster Infra Resources',
        'Ready',
        'Created ClusterInst successfully',
      ],
    });
    const [cluster] = await collect(clusters().showClusterInst({ key: CLUSTER_KEY }));
    expect(cluster?.state).toBe(TS.READY);
    expect(cluster?.resources?.vms.length).toBeGreaterThan(0);
    await waitFor(
      () => (crm.cloudletInfo().resourcesSnapshot?.clusterInsts.length ?? 0) === 1,
      'resource snapshot with the cluster',
    );

    const ai = await outcome(appInsts().createAppInst({ key: INST_KEY }));
    expect(ai.error).toBeUndefined();
    expect(ai.messages.slice(-4)).toEqual([
      'Creating',
      'Creating App Inst',
      'Ready',
      'Created AppInst successfully',
    ]);
    const [inst] = await collect(appInsts().showAppInst({ key: INST_KEY }));
    expect(inst?.state).toBe(TS.READY);
    expect(inst?.healthCheck).toBe(dme.HealthCheck.OK);
    expect(inst?.runtimeInfo?.containerIds).toEqual(['appOnClusterNode0']);
    expect(await crm.platform()?.listAppInsts()).toHaveLength(1);

    const del = await outcome(appInsts().deleteAppInst({ key: INST_KEY }));
    expect(del.error).toBeUndefined();
    expect(del.messages).toEqual([
      'Deleting',
      'First Delete Task',
      'Second Delete Task',
      'DeleteDone',
      'NotPresent',
      'Deleted AppInst successfully',
    ]);
    expect(await crm.platform()?.listAppInsts()).toEqual([]);
    const delCluster = await outcome(clusters().deleteClusterInst({ key: CLUSTER_KEY }));
    expect(delCluster.error).toBeUndefined();
    expect(await crm.platform()?.listClusterInsts()).toEqual([]);
    await waitFor(
      () => (crm.cloudletInfo().resourcesSnapshot?.clusterInsts.length ?? -1) === 0,
      'resource snapshot without the cluster',
    );
  });

  it('reports a failing platform as `Create failed: …`; the Controller undoes the create', async () => {
    expect((await createCluster()).error).toBeUndefined();
    w.controls.setFailure('createAppInst', 'out of quota');
    const ai = await outcome(appInsts().createAppInst({ key: INST_KEY }));
    expect(ai.messages).toEqual([
      'Creating',
      'Creating App Inst',
      'CreateError',
      'Deleting AppInst due to failure',
    ]);
    expect(ai.error?.message).toBe('Encountered failures: Create failed: out of quota');
    expect(await collect(appInsts().showAppInst({ key: INST_KEY }))).toEqual([]);
    expect(await crm.platform()?.listAppInsts()).toEqual([]);

    // The next create works again.
    w.controls.reset();
    expect((await outcome(appInsts().createAppInst({ key: INST_KEY }))).error).toBeUndefined();
  });

  it('limits an operation to its time limit: the error state after the Controller stopped waiting', async () => {
    await w.h
      .client(edgeproto.SettingsApi)
      .updateSettings({ createClusterInstTimeout: 300_000_000n, fields: ['create_cluster_inst_timeout'] });
    await waitFor(() => crm.cache.get('edgeproto.Settings', '') !== undefined, 'Settings at the CRM');
    w.controls.setDelay('createClusterInst', 60_000);
    const ci = await createCluster();
    // The Controller waits as long; whichever timer fires first, the CRM's error is recorded.
    const text = 'Create failed: timed out after 300ms';
    if (ci.error) {
      expect(ci.error.message).toBe(`Encountered failures: ${text}`);
    } else {
      expect(ci.messages.at(-1)).toBe(
        'Timed out while work still in progress state Creating. Please use ShowClusterInst to check current status',
      );
      const stored = () => w.h.ctrl.cache.type<edgeproto.ClusterInst>('ClusterInst').list()[0];
      await waitFor(() => stored()?.state === TS.CREATE_ERROR, 'CREATE_ERROR');
      expect(stored()?.errors).toEqual([text]);
    }
  });

  it('serves Shepherd and passes its alerts up, flushing them when it goes', async () => {
    expect((await createCluster()).error).toBeUndefined();
    const address = crm.notifySrvAddress();
    if (!address) throw new Error('no notify server');
    const sink = new MemorySink();
    const shepherd = new NotifyClient({
      ...codec,
      addresses: [address],
      name: 'shepherd-c1',
      wants: ['edgeproto.ClusterInst', 'edgeproto.App', 'edgeproto.Flavor', 'edgeproto.Cloudlet'],
      sink,
      backoff: { initialMs: 20, maxMs: 200 },
    });
    shepherd.start();
    try {
      await shepherd.waitSynced();
      expect(sink.keys('edgeproto.ClusterInst')).toHaveLength(1);
      expect(sink.keys('edgeproto.Cloudlet')).toEqual([JSON.stringify(C1)]);
      const labels = { alertname: 'AppInstDown', app: 'web', cloudlet: 'c1', cloudletorg: 'op' };
      const alert = create(edgeproto.AlertSchema, { labels, state: 'firing' });
      shepherd.update('edgeproto.Alert', codec.keyJson('edgeproto.Alert', alert), alert);
      const alerts = () =>
        w.h.ctrl.cache
          .type<edgeproto.Alert>('Alert')
          .list()
          .filter((a) => a.labels['app'] === 'web');
      await waitFor(() => alerts().length === 1, 'alert at the Controller');
      await shepherd.stop();
      await waitFor(() => alerts().length === 0, 'alert flushed');
    } finally {
      await shepherd.stop();
    }
  });
});
