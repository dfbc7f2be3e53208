/**
 * What every platform must do the same way, run against each implementation (the fake
 * passes the same tests as the real ones). Call inside a test file.
 */
import { silentLogger } from '@edge/log';
import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { appInstKeyJson, clusterInstKeyJson } from '../keys';
import type { Platform, PlatformConfig } from '../platform';
import { RESOURCE_DISK, RESOURCE_INSTANCES, RESOURCE_RAM, RESOURCE_VCPUS } from '../resources';
import { appInstSpec, clusterInst, resource } from './fixtures';
import { recordingContext } from './op-context';

/** A platform config for tests on cloudlet op/cl1 keeping files in `dataDir`. */
export function testConfig(dataDir: string, envVars: Record<string, string> = {}): PlatformConfig {
  return {
    cloudlet: create(edgeproto.CloudletSchema, { key: { organization: 'op', name: 'cl1' } }),
    region: 'local',
    dataDir,
    envVars,
    appDnsRoot: 'example.net',
    log: silentLogger(),
  };
}

export function describePlatformConformance(name: string, make: () => Promise<Platform>): void {
  describe(`${name}: platform conformance`, () => {
    let platform: Platform;
    beforeEach(async () => {
      platform = await make();
    });
    afterEach(async () => {
      await platform.close();
    });

    it('reports flavors and limits', async () => {
      const info = await platform.gatherCloudletInfo(recordingContext());
      expect(info.flavors.map((f) => f.name)).toEqual(expect.arrayContaining(['x1.tiny', 'x1.small']));
      expect([info.osMaxRam > 0n, info.osMaxVcores > 0n, info.osMaxVolGb > 0n]).toEqual([true, true, true]);
      const snap = await platform.infraResources();
      for (const r of [RESOURCE_RAM, RESOURCE_VCPUS, RESOURCE_DISK, RESOURCE_INSTANCES]) {
        expect(resource(snap, r)).toBeDefined();
      }
    });

    it('creates, lists and deletes a ClusterInst; deleting twice succeeds', async () => {
      const ci = clusterInst('conf-c');
      const ctx = recordingContext();
      await platform.createClusterInst(ci, ctx);
      expect(ctx.messages.length).toBeGreaterThan(0);
      expect(await platform.listClusterInsts()).toContain(clusterInstKeyJson(ci.key));
      expect(await platform.clusterResources(ci.key!)).toBeDefined();
      await platform.deleteClusterInst(ci, recordingContext());
      await platform.deleteClusterInst(ci, recordingContext());
      expect(await platform.listClusterInsts()).not.toContain(clusterInstKeyJson(ci.key));
      expect(await platform.clusterResources(ci.key!)).toBeUndefined();
    });

    it('creates, lists and deletes an AppInst; deleting twice succeeds', async () => {
      const spec = appInstSpec('conf-app');
      await platform.createAppInst(spec, recordingContext());
      expect(await platform.listAppInsts()).toEqual([appInstKeyJson(spec.appInst.key)]);
      expect(await platform.appInstRuntime(spec)).toBeDefined();
      await platform.deleteAppInst(spec, recordingContext());
      await platform.deleteAppInst(spec, recordingContext());
      expect(await platform.listAppInsts()).toEqual([]);
      expect(await platform.appInstRuntime(spec)).toBeUndefined();
    });
  });
}
