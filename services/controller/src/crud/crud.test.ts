import { Code } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { describeWithServers, testServers, uniqueName } from '@edge/testing';
import { collect, startController, type ControllerHarness } from '../testing/harness';
import { rejection } from '../testing/rejection';

function crudSuite(name: string, start: () => Promise<ControllerHarness>): void {
  describe(name, () => {
    let h: ControllerHarness;
    beforeAll(async () => {
      h = await start();
    });
    afterAll(() => h.close());

    it('creates, shows, refuses duplicates and deletes a flavor', async () => {
      const flavors = h.client(edgeproto.FlavorApi);
      const flavor = { key: { name: 'x1.small' }, ram: 1024n, vcpus: 1n, disk: 10n };
      await flavors.createFlavor(flavor);
      const shown = await collect(flavors.showFlavor({ key: { name: 'x1.small' } }));
      expect(shown.map((f) => [f.key?.name, f.ram])).toEqual([['x1.small', 1024n]]);
      const dup = await rejection(flavors.createFlavor(flavor));
      expect([dup.code, dup.message]).toEqual([
        Code.ALREADY_EXISTS,
        'Flavor key {"name":"x1.small"} already exists',
      ]);
      const bad = await rejection(flavors.createFlavor({ key: { name: 'x2' }, vcpus: 1n, disk: 1n }));
      expect([bad.code, bad.message]).toEqual([Code.INVALID_ARGUMENT, 'Ram cannot be 0']);
      await flavors.deleteFlavor({ key: { name: 'x1.small' } });
      expect(await collect(flavors.showFlavor({}))).toEqual([]);
      const gone = await rejection(flavors.deleteFlavor({ key: { name: 'x1.small' } }));
      expect([gone.code, gone.message]).toEqual([Code.NOT_FOUND, 'Flavor key {"name":"x1.small"} not found']);
    });

    it('refuses a create that refers to a missing object, writing nothing', async () => {
      const apps = h.client(edgeproto.AppApi);
      const before = await h.kv.revision();
      const e = await rejection(
        apps.createApp({
          key: { organization: 'dev', name: 'a', version: '1' },
          defaultFlavor: { name: 'nope' },
          imagePath: 'x',
          imageType: edgeproto.ImageType.DOCKER,
        }),
      );
      expect([e.code, e.message]).toEqual([Code.NOT_FOUND, 'Flavor key {"name":"nope"} not found']);
      expect(await h.kv.revision()).toBe(before);
    });

    it('refuses deleting a flavor in use, then deletes it once free', async () => {
      const flavors = h.client(edgeproto.FlavorApi);
      const apps = h.client(edgeproto.AppApi);
      await flavors.createFlavor({ key: { name: 'f-used' }, ram: 1n, vcpus: 1n, disk: 1n });
      const app = {
        key: { organization: 'dev', name: 'app', version: '1' },
        defaultFlavor: { name: 'f-used' },
        imagePath: 'i',
        imageType: edgeproto.ImageType.DOCKER,
      };
      await apps.createApp(app);
      const e = await rejection(flavors.deleteFlavor({ key: { name: 'f-used' } }));
      expect([e.code, e.message]).toEqual([
        Code.FAILED_PRECONDITION,
        'Flavor in use by App {"organization":"dev","name":"app","version":"1"}',
      ]);
      const still = await collect(flavors.showFlavor({ key: { name: 'f-used' } }));
      expect(still[0]?.deletePrepare).toBe(false);
      await apps.deleteApp(app);
      await flavors.deleteFlavor({ key: { name: 'f-used' } });
    });

    it('updates by field mask and refuses system fields', async () => {
      const pools = h.client(edgeproto.CloudletPoolApi);
      await pools.createCloudletPool({ key: { organization: 'op', name: 'p1' } });
      const e = await rejection(
        pools.updateCloudletPool({ key: { organization: 'op', name: 'p1' }, fields: ['delete_prepare'] }),
      );
      expect(e.message).toBe('specified field(s) Delete Prepare cannot be modified');
      const missing = await rejection(
        pools.addCloudletPoolMember({ key: { organization: 'op', name: 'p1' }, cloudlet: { name: 'c9' } }),
      );
      expect([missing.code, missing.message]).toEqual([
        Code.NOT_FOUND,
        'Cloudlets {"organization":"op","name":"c9"} not found',
      ]);
      await pools.deleteCloudletPool({ key: { organization: 'op', name: 'p1' } });
    });

    it('serves settings with defaults and updates them by mask', async () => {
      const settings = h.client(edgeproto.SettingsApi);
      expect((await settings.showSettings({})).shepherdHealthCheckRetries).toBe(3);
      await settings.updateSettings({
        shepherdHealthCheckRetries: 5,
        fields: ['shepherd_health_check_retries'],
      });
      expect((await settings.showSettings({})).shepherdHealthCheckRetries).toBe(5);
      await settings.resetSettings({});
      expect((await settings.showSettings({})).shepherdHealthCheckRetries).toBe(3);
    });
  });
}

crudSuite('Controller CRUD on MemStore', () => startController());

describeWithServers('Controller CRUD on etcd', () => {
  crudSuite('etcd', () => startController({ etcd: testServers().etcd, region: uniqueName('r') }));
});
