// CRM start against a real Controller (etcd): access key upgrade, INIT → Cloudlet →
// platform init → READY with the platform's facts; the two fatal start errors.
import { readFile } from 'node:fs/promises';
import { clone } from '@bufbuild/protobuf';
import { backupKeyFile } from '@edge/accesskey';
import { createPlatform } from '@edge/platform';
import { dme, edgeproto } from '@edge/proto';
import { describeWithServers } from '@edge/testing';
import { collect } from '../../controller/src/testing/harness';
import { CONTROLLER_TIMEOUT } from './crm';
import { C1, CrmWorld, waitFor } from './testing/crm-world';

const CS = dme.CloudletState;

describeWithServers('CRM start (real Controller, etcd)', (servers) => {
  let w: CrmWorld;
  beforeEach(async () => {
    w = await new CrmWorld(servers).start();
  });
  afterEach(() => w.close());

  it('brings a new cloudlet up: key upgraded, INIT, READY with the platform flavors in ShowCloudletInfo', async () => {
    const { done } = await w.createCloudlet();
    const firstKey = await readFile(w.keyFile, 'utf8');
    const crm = await w.startCrm();
    const r = await done;
    expect(r.error).toBeUndefined();
    expect(r.messages.slice(1)).toEqual([
      'Initializing platform',
      'Done initializing fake platform',
      'Created Cloudlet successfully',
    ]);

    const [info] = await collect(w.h.client(edgeproto.CloudletInfoApi).showCloudletInfo({ key: C1 }));
    expect(info?.state).toBe(CS.READY);
    expect(info?.flavors.map((f) => f.name)).toEqual(['x1.tiny', 'x1.small']);
    expect(info?.containerVersion).toBe('test-1');
    expect(info?.osMaxVcores).toBe(50n);
    expect(info?.resourcesSnapshot?.platformVms.map((v) => v.name)).toEqual([
      'fake-platform-vm',
      'fake-rootlb-vm',
    ]);
    expect(info?.trustPolicyState).toBe(edgeproto.TrackedState.NOT_PRESENT);

    // The one-time key was exchanged for a new one (old one backed up) and committed.
    const [cloudlet] = await collect(w.h.client(edgeproto.CloudletApi).showCloudlet({ key: C1 }));
    expect(cloudlet?.state).toBe(edgeproto.TrackedState.READY);
    expect(cloudlet?.crmAccessKeyUpgradeRequired).toBe(false);
    expect(await readFile(backupKeyFile(w.keyFile), 'utf8')).toBe(firstKey);
    expect(await readFile(w.keyFile, 'utf8')).not.toBe(firstKey);
    expect(crm.cloudletInfo().state).toBe(CS.READY);
  });

  it('reports ERRORS and fails with `Platform init fail` when the platform does not come up', async () => {
    const { done } = await w.createCloudlet();
    w.controls.setFailure('init', 'no infrastructure here');
    const crm = w.crm();
    await expect(crm.start()).rejects.toThrow('Platform init fail');
    expect(crm.cloudletInfo().state).toBe(CS.ERRORS);
    expect(crm.cloudletInfo().errors).toEqual(['no infrastructure here']);
    const r = await done;
    expect(r.error?.message).toBe('Encountered failures: no infrastructure here');
    expect(r.messages.slice(1, 2)).toEqual(['Initializing platform']);
  });

  it('reports a platform type it cannot run as an init failure', async () => {
    const { done } = await w.createCloudlet();
    const crm = w.crm({ platform: () => createPlatform(edgeproto.PlatformType.OPENSTACK) });
    await expect(crm.start()).rejects.toThrow('Platform init fail');
    expect(crm.cloudletInfo().errors).toEqual([
      'platform type PLATFORM_TYPE_OPENSTACK is not supported by this CRM',
    ]);
    expect((await done).error?.message).toBe(
      'Encountered failures: platform type PLATFORM_TYPE_OPENSTACK is not supported by this CRM',
    );
  });

  it('fails with the original message when its Cloudlet never arrives', async () => {
    const crm = w.crm({ notifyAddrs: ['127.0.0.1:1'], accessKey: { file: '' }, controllerTimeoutMs: 300 });
    await expect(crm.start()).rejects.toThrow(CONTROLLER_TIMEOUT);
    expect(crm.cloudletInfo().state).toBe(CS.INIT);
  });

  it('acknowledges maintenance requested by the Controller', async () => {
    const { done } = await w.createCloudlet();
    const crm = await w.startCrm();
    expect((await done).error).toBeUndefined();
    // The Controller asks the CRM (maintenance state CRM_REQUESTED); the CRM answers in its CloudletInfo.
    const cloudlets = w.h.ctrl.cache.type<edgeproto.Cloudlet>('Cloudlet');
    const cur = cloudlets.get(JSON.stringify(C1));
    if (!cur) throw new Error('no cloudlet');
    const next = clone(edgeproto.CloudletSchema, cur);
    next.maintenanceState = dme.MaintenanceState.CRM_REQUESTED;
    await w.h.ctrl.store.apply(async (tx) => tx.put(w.h.reg.get('Cloudlet'), next));
    await waitFor(
      () => crm.cloudletInfo().maintenanceState === dme.MaintenanceState.CRM_UNDER_MAINTENANCE,
      'CRM_UNDER_MAINTENANCE',
    );
    const infos = w.h.ctrl.cache.type<edgeproto.CloudletInfo>('CloudletInfo');
    await waitFor(
      () => infos.get(JSON.stringify(C1))?.maintenanceState === dme.MaintenanceState.CRM_UNDER_MAINTENANCE,
      'maintenance state at the Controller',
    );
  });
});
