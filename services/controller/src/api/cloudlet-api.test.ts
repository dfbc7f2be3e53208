import { edgeproto } from '@edge/proto';
import { collect, startController, type ControllerHarness } from '../testing/harness';
import { outcome } from '../state/testing/world';

describe('Cloudlet API (validation, access keys, CloudletInfo inject/evict)', () => {
  let h: ControllerHarness;
  const key = { organization: 'op', name: 'c2' };
  beforeAll(async () => {
    h = await startController();
  });
  afterAll(() => h.close());

  it('refuses bad locations and IP settings with the original messages, writing nothing', async () => {
    const cloudlets = h.client(edgeproto.CloudletApi);
    const tryCreate = async (latitude: number, longitude: number, numDynamicIps = 1) =>
      (await outcome(cloudlets.createCloudlet({ key, numDynamicIps, location: { latitude, longitude } })))
        .error?.message;
    expect(await tryCreate(0, 0)).toBe('location is missing; 0,0 is not a valid location');
    expect(await tryCreate(91, 1)).toBe('Invalid latitude value');
    expect(await tryCreate(1, -181)).toBe('Invalid longitude value');
    expect(await tryCreate(1, 1, 0)).toBe('Must specify at least one dynamic public IP available');
    expect(await collect(cloudlets.showCloudlet({}))).toEqual([]);
    expect(h.ctrl.cache.listRaw('Stream/')).toEqual([]);
  });

  it('generates, revokes and hands out access keys; GetCloudletManifest only without one', async () => {
    const cloudlets = h.client(edgeproto.CloudletApi);
    const created = await outcome(
      cloudlets.createCloudlet({
        key,
        numDynamicIps: 1,
        location: { latitude: 1, longitude: 1 },
        crmOverride: edgeproto.CRMOverride.IGNORE_CRM,
      }),
    );
    expect(created.error).toBeUndefined();
    const show = async () => (await collect(cloudlets.showCloudlet({ key })))[0];
    expect((await show())?.state).toBe(edgeproto.TrackedState.READY);
    const refused = cloudlets.getCloudletManifest(key);
    await expect(refused).rejects.toThrow(
      'Cloudlet has access key registered, please revoke the current access key first so a new one can be generated for the manifest',
    );
    const generated = await cloudlets.generateAccessKey(key);
    expect(generated.message).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    await cloudlets.revokeAccessKey(key);
    expect((await show())?.crmAccessPublicKey).toBe('');
    const manifest = await cloudlets.getCloudletManifest(key);
    expect(manifest.manifest).toContain(`--cloudletKey '{"organization":"op","name":"c2"}'`);
    expect(manifest.manifest).toContain('-----BEGIN PRIVATE KEY-----');
    expect((await show())?.crmAccessPublicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('injects a CloudletInfo (the Cloudlet follows) and evicts it', async () => {
    const infos = h.client(edgeproto.CloudletInfoApi);
    await infos.injectCloudletInfo({ key, state: 5 /* INIT */ });
    const [c] = await collect(h.client(edgeproto.CloudletApi).showCloudlet({ key }));
    expect(c?.state).toBe(edgeproto.TrackedState.CRM_INITOK);
    expect((await collect(infos.showCloudletInfo({ key }))).length).toBe(1);
    await infos.evictCloudletInfo({ key });
    expect(await collect(infos.showCloudletInfo({ key }))).toEqual([]);
  });
});
