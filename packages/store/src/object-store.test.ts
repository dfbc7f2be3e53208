import { create } from '@bufbuild/protobuf';
import { ObjectRegistry, allFiles, edgeproto } from '@edge/proto';
import { MemStore } from './mem-store';
import { ObjectStore } from './object-store';

const reg = new ObjectRegistry(allFiles);
const app = (name: string, imagePath = 'img'): edgeproto.App =>
  create(edgeproto.AppSchema, { key: { organization: 'o', name, version: '1' }, imagePath });

describe('ObjectStore', () => {
  let store: MemStore;
  beforeEach(() => {
    store = new MemStore();
  });
  afterEach(() => store.close());

  it('keys objects by region and key JSON, singletons by type', () => {
    const apps = new ObjectStore<edgeproto.App>('local', reg.get('App'));
    expect(apps.key(app('a'))).toBe('local/App/{"organization":"o","name":"a","version":"1"}');
    expect(apps.prefix).toBe('local/App/');
    const settings = new ObjectStore<edgeproto.Settings>('local', reg.get('Settings'));
    expect(settings.key(create(edgeproto.SettingsSchema))).toBe('local/Settings');
    expect(() => new ObjectStore('a/b', reg.get('App'))).toThrow('invalid region');
  });

  it('stores protobuf JSON with proto field names and ignores unknown fields', () => {
    const apps = new ObjectStore<edgeproto.App>('local', reg.get('App'));
    const json = apps.encode(app('a', 'docker.io/x'));
    expect(JSON.parse(json)).toMatchObject({ key: { name: 'a' }, image_path: 'docker.io/x' });
    const back = apps.decode(JSON.stringify({ ...JSON.parse(json), field_from_the_future: 1 }));
    expect(back.imagePath).toBe('docker.io/x');
    expect(() => apps.decode('not json')).toThrow();
  });

  it('reads and writes inside and outside transactions', async () => {
    const apps = new ObjectStore<edgeproto.App>('local', reg.get('App'));
    const flavors = new ObjectStore<edgeproto.Flavor>('local', reg.get('Flavor'));
    const { revision } = await store.txn(async (tx) => {
      expect(await apps.get(tx, app('a'))).toBeUndefined();
      apps.put(tx, app('a'));
      apps.put(tx, app('b'));
      flavors.put(tx, create(edgeproto.FlavorSchema, { key: { name: 'x1' }, ram: 1024n }));
    });
    expect((await apps.getWithRevision(store, app('a')))?.modRevision).toBe(revision);
    expect((await apps.getByKeyJson(store, '{"organization":"o","name":"b","version":"1"}'))?.key?.name).toBe(
      'b',
    );
    const listed = await apps.list(store);
    expect(listed.objs.map((a) => a.key?.name)).toEqual(['a', 'b']);
    await store.txn(async (tx) => apps.delete(tx, app('a')));
    expect(await apps.get(store, app('a'))).toBeUndefined();
    expect((await flavors.list(store)).objs[0]?.ram).toBe(1024n);
  });

  it('reads and writes a singleton', async () => {
    const settings = new ObjectStore<edgeproto.Settings>('local', reg.get('Settings'));
    const s = create(edgeproto.SettingsSchema, { shepherdMetricsCollectionInterval: 5_000_000_000n });
    await store.txn(async (tx) => settings.put(tx, s));
    expect(await settings.get(store, create(edgeproto.SettingsSchema))).toEqual(s);
    expect((await settings.list(store)).objs).toHaveLength(1);
  });
});
