import { rejection } from '@edge/testing';
import { Code, EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { appInstKeyJson, clusterInstKeyJson } from '../keys';
import {
  RESOURCE_DISK,
  RESOURCE_EXTERNAL_IPS,
  RESOURCE_INSTANCES,
  RESOURCE_RAM,
  RESOURCE_VCPUS,
} from '../resources';
import { describePlatformConformance, testConfig } from '../testing/conformance';
import { appInstSpec, clusterInst, resource } from '../testing/fixtures';
import { recordingContext } from '../testing/op-context';
import { FakeControls } from './fake-controls';
import { FakeInfra } from './fake-infra';
import { FakePlatform, type FakePlatformOptions } from './fake-platform';

async function started(
  opts: FakePlatformOptions = {},
  env: Record<string, string> = {},
): Promise<FakePlatform> {
  const p = new FakePlatform(opts);
  await p.init(testConfig('/nonexistent', env), recordingContext());
  return p;
}

async function usage(p: FakePlatform): Promise<(bigint | undefined)[]> {
  const snap = await p.infraResources();
  return [RESOURCE_RAM, RESOURCE_VCPUS, RESOURCE_DISK, RESOURCE_INSTANCES, RESOURCE_EXTERNAL_IPS].map((n) =>
    resource(snap, n),
  );
}

describePlatformConformance('fake', () => started());

describe('fake platform', () => {
  it('reports the original FakeFlavorList and limits', async () => {
    const info = await (await started()).gatherCloudletInfo(recordingContext());
    expect(info.flavors.map((f) => [f.name, f.vcpus, f.ram, f.disk])).toEqual([
      ['x1.tiny', 1n, 1024n, 20n],
      ['x1.small', 2n, 4096n, 40n],
    ]);
    expect([info.osMaxRam, info.osMaxVcores, info.osMaxVolGb]).toEqual([40960n, 50n, 5000n]);
    expect(info.availabilityZones.map((z) => z.name)).toEqual(['fake-az']);
    expect(info.osImages.length).toBe(1);
  });

  it('takes limits from FAKE_*_MAX env vars and options', async () => {
    const p = await started(
      { limits: { vcpus: 8 } },
      { FAKE_RAM_MAX: '2048', FAKE_VCPUS_MAX: '99', FAKE_DISK_MAX: 'x' },
    );
    const info = await p.gatherCloudletInfo(recordingContext());
    expect([info.osMaxRam, info.osMaxVcores, info.osMaxVolGb]).toEqual([2048n, 8n, 5000n]);
  });

  it('reports the original progress messages', async () => {
    const p = await started();
    const ctx = recordingContext();
    const ci = clusterInst('c1');
    const spec = appInstSpec('a1', { cluster: ci });
    await p.init(testConfig('/x'), ctx);
    await p.createClusterInst(ci, ctx);
    await p.createAppInst(spec, ctx);
    await p.deleteAppInst(spec, ctx);
    await p.deleteClusterInst(ci, ctx);
    expect(ctx.messages).toEqual([
      'task: Done initializing fake platform',
      'task: First Create Task',
      'task: Second Create Task',
      'task: Creating App Inst',
      'task: First Delete Task',
      'task: Second Delete Task',
      'task: First Delete Task',
      'task: Second Delete Task',
    ]);
  });

  it('accounts resources from what was created, starting with the platform and rootLB VMs', async () => {
    const p = await started();
    const base = [8192n, 4n, 80n, 2n, 1n];
    expect(await usage(p)).toEqual(base);
    const snap = await p.infraResources();
    expect(snap.platformVms.map((v) => v.name)).toEqual(['fake-platform-vm', 'fake-rootlb-vm']);
    expect(snap.info.find((r) => r.name === RESOURCE_RAM)).toMatchObject({
      infraMaxValue: 40960n,
      units: 'MB',
    });

    // 1 master x1.tiny + 2 nodes x1.small
    const ci = clusterInst('c1');
    await p.createClusterInst(ci, recordingContext());
    expect(await usage(p)).toEqual([8192n + 1024n + 8192n, 4n + 1n + 4n, 80n + 20n + 80n, 5n, 1n]);
    expect((await p.clusterResources(ci.key!))?.vms.map((v) => v.name)).toEqual([
      'fake-master-1-c1-dev',
      'fake-node-1-c1-dev',
      'fake-node-2-c1-dev',
    ]);
    expect((await p.infraResources()).clusterInsts.map((k) => k.clusterKey?.name)).toEqual(['c1']);

    // one more node
    await p.updateClusterInst(clusterInst('c1', { numNodes: 3 }), recordingContext());
    expect((await usage(p))[3]).toBe(6n);

    // a dedicated cluster gets its own rootLB (x1.small) with an external IP
    const dedicated = clusterInst('c2', {
      numMasters: 0,
      numNodes: 0,
      ipAccess: edgeproto.IpAccess.DEDICATED,
      fqdn: 'c2.lb',
    });
    await p.createClusterInst(dedicated, recordingContext());
    expect((await usage(p)).slice(3)).toEqual([7n, 2n]);

    // a VM app is a VM of its flavor with an external IP
    const vmApp = appInstSpec('vm1', { deployment: 'vm', vmFlavor: 'x1.tiny' });
    await p.createAppInst(vmApp, recordingContext());
    expect((await usage(p)).slice(3)).toEqual([8n, 3n]);
    expect((await p.infraResources()).vmAppInsts.map((k) => k.appKey?.name)).toEqual(['vm1']);

    await p.deleteAppInst(vmApp, recordingContext());
    await p.deleteClusterInst(dedicated, recordingContext());
    await p.deleteClusterInst(ci, recordingContext());
    expect(await usage(p)).toEqual(base);
  });

  it('reports container ids of kubernetes apps per cluster node', async () => {
    const p = await started();
    const spec = appInstSpec('k1', { deployment: 'kubernetes', cluster: clusterInst('c1', { numNodes: 2 }) });
    await p.createAppInst(spec, recordingContext());
    expect(await p.appInstRuntime(spec)).toEqual({
      containerIds: ['appOnClusterNode0', 'appOnClusterNode1'],
    });
    expect((await p.infraResources()).k8sAppInsts.length).toBe(1);
  });

  it('fails operations with injected errors, changeable at run time', async () => {
    const p = await started({ failures: { createClusterInst: 'out of quota' } });
    const ci = clusterInst('c1');
    const err = await rejection(p.createClusterInst(ci, recordingContext()));
    expect([err.code, err.message]).toEqual([Code.UNKNOWN, 'out of quota']);
    expect(await p.listClusterInsts()).toEqual([]);

    p.controls.setFailure('createClusterInst', undefined);
    p.controls.set({ failures: { deleteClusterInst: 'infra busy' } });
    await p.createClusterInst(ci, recordingContext());
    expect((await rejection(p.deleteClusterInst(ci, recordingContext()))).message).toBe('infra busy');
    expect(await p.listClusterInsts()).toEqual([clusterInstKeyJson(ci.key)]);
    p.controls.reset();
    await p.deleteClusterInst(ci, recordingContext());
    expect(await p.listClusterInsts()).toEqual([]);
  });

  it('fails AppInst creates when the cloudlet sets FAKE_PLATFORM_APPINST_CREATE_FAIL', async () => {
    const p = await started({}, { FAKE_PLATFORM_APPINST_CREATE_FAIL: 'true' });
    const err = await rejection(p.createAppInst(appInstSpec('a1'), recordingContext()));
    expect(err.message).toBe('FAKE_PLATFORM_APPINST_CREATE_FAIL');
  });

  it('delays operations, reporting progress first, and stops a delayed operation when its signal aborts', async () => {
    const controls = new FakeControls({ delays: { createAppInst: 50 } });
    const p = await started({ controls });
    const spec = appInstSpec('a1');
    const ctx = recordingContext();
    const t0 = Date.now();
    const pending = p.createAppInst(spec, ctx);
    expect(ctx.messages).toEqual(['task: Creating App Inst']);
    expect(await p.listAppInsts()).toEqual([]);
    await pending;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(await p.listAppInsts()).toEqual([appInstKeyJson(spec.appInst.key)]);

    controls.setDelay('deleteAppInst', 60_000);
    const slow = recordingContext();
    const deleting = rejection(p.deleteAppInst(spec, slow));
    slow.abort(new EdgeError(Code.DEADLINE_EXCEEDED, 'Timed out'));
    expect((await deleting).message).toBe('Timed out');
    expect(await p.listAppInsts()).toEqual([appInstKeyJson(spec.appInst.key)]);

    const other = recordingContext();
    const deleting2 = rejection(p.deleteAppInst(spec, other));
    other.abort();
    expect((await deleting2).code).toBe(Code.DEADLINE_EXCEEDED);
  });

  it('keeps its state in a FakeInfra that a new platform object can take over', async () => {
    const infra = new FakeInfra();
    const first = await started({ infra });
    const ci = clusterInst('c1');
    const spec = appInstSpec('a1', { cluster: ci });
    await first.createClusterInst(ci, recordingContext());
    await first.createAppInst(spec, recordingContext());
    await first.close();
    const second = await started({ infra });
    expect(await second.listClusterInsts()).toEqual([clusterInstKeyJson(ci.key)]);
    expect(await second.listAppInsts()).toEqual([appInstKeyJson(spec.appInst.key)]);
  });

  it('echoes container commands and gives a console URL', async () => {
    const p = await started();
    const spec = appInstSpec('a1');
    expect(await p.containerCommand(spec, 'ls -l')).toBe('ls -l');
    expect(await p.consoleUrl(spec)).toBe('https://console.fake.net/a1?token=xyz');
  });
});
