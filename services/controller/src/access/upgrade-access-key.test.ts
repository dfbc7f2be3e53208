import { rejection as failure } from '@edge/testing';
// UpgradeAccessKey against a real Controller on etcd: the manifest's one-time key is
// exchanged for a new one, stored in the key file (old one backed up), committed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accessKeyInterceptor,
  backupKeyFile,
  exchangeAccessKey,
  generateAccessKeyPair,
  upgradeAccessKeyFile,
  writeAccessKeyFile,
} from '@edge/accesskey';
import { Code, EdgeError } from '@edge/errors';
import { edgeproto } from '@edge/proto';
import { createClient } from '@edge/rpc';
import { describeWithServers, uniqueName } from '@edge/testing';
import { startController, type ControllerHarness } from '../testing/harness';
import { seed } from '../testing/seed';
import { serveAccessApi, type ServedAccessApi } from './testing/serve-access-api';

const C1 = { organization: 'op', name: 'c1' };
const C1_JSON = JSON.stringify(C1);

describeWithServers('UpgradeAccessKey (real Controller, etcd)', (servers) => {
  let h: ControllerHarness;
  let access: ServedAccessApi;
  let dir: string;
  let region: string;

  beforeEach(async () => {
    region = uniqueName('upgkey');
    h = await startController({ etcd: servers.etcd, region });
    access = await serveAccessApi(h);
    dir = await mkdtemp(join(tmpdir(), 'upgkey-'));
    await seed(h, ['Cloudlet', edgeproto.CloudletSchema, { key: C1, state: edgeproto.TrackedState.READY }]);
  });
  afterEach(async () => {
    await access.close();
    await h.kv.deletePrefix(`${region}/`);
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cloudlet = (): edgeproto.Cloudlet | undefined =>
    h.ctrl.cache.type<edgeproto.Cloudlet>('Cloudlet').get(C1_JSON);

  /** The manifest's private key: registered with crm_access_key_upgrade_required. */
  const manifestKey = async (): Promise<string> => {
    const { manifest } = await h.client(edgeproto.CloudletApi).getCloudletManifest(C1);
    const pem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(manifest)?.[0];
    if (!pem) throw new Error('no key in the manifest');
    return pem;
  };
  const getCas = (pem: string): Promise<unknown> => {
    const c = createClient(edgeproto.CloudletAccessApi, access.address, {
      interceptors: [accessKeyInterceptor(pem, C1)],
      defaultDeadlineMs: 5000,
    });
    return c.getCas({ issuer: 'pki-regional-cloudlet' }).finally(() => c.close());
  };

  it('replaces a one-time key: new key in the file, old one backed up, public key committed', async () => {
    const oldPem = await manifestKey();
    const oldPublic = cloudlet()?.crmAccessPublicKey;
    expect(cloudlet()?.crmAccessKeyUpgradeRequired).toBe(true);
    const keyFile = join(dir, 'crm.key');
    await writeAccessKeyFile(keyFile, oldPem);

    // Before the upgrade the key may call nothing else.
    const refused = await failure(getCas(oldPem));
    expect(refused.message).toBe(
      'access key requires upgrade, does not allow api call /edgeproto.CloudletAccessApi/GetCas',
    );

    const r = await upgradeAccessKeyFile({ address: access.address, cloudletKey: C1, keyFile });
    expect(r.upgraded).toBe(true);
    expect(r.privatePem).not.toBe(oldPem);
    expect(await readFile(keyFile, 'utf8')).toBe(r.privatePem);
    expect(await readFile(backupKeyFile(keyFile), 'utf8')).toBe(oldPem);
    // Committed before commit-complete: this Controller's cache has it already.
    expect(cloudlet()?.crmAccessKeyUpgradeRequired).toBe(false);
    expect(cloudlet()?.crmAccessPublicKey).not.toBe(oldPublic);

    await expect(getCas(r.privatePem)).resolves.toBeDefined();
    expect((await failure(getCas(oldPem))).message).toBe('Failed to verify cloudlet access key signature');

    // A second start: nothing to upgrade, the file stays.
    const again = await upgradeAccessKeyFile({ address: access.address, cloudletKey: C1, keyFile });
    expect(again).toEqual({ upgraded: false, privatePem: r.privatePem });
  });

  it('verify-only: refused while an upgrade is required, verified afterwards', async () => {
    const oldPem = await manifestKey();
    const verify = (pem: string) =>
      exchangeAccessKey({ address: access.address, cloudletKey: C1, privatePem: pem, verifyOnly: true });
    const err = await failure(verify(oldPem));
    expect(err.message).toBe('access key upgrade required');

    const keyFile = join(dir, 'crm.key');
    await writeFile(keyFile, oldPem);
    const { privatePem } = await upgradeAccessKeyFile({ address: access.address, cloudletKey: C1, keyFile });
    await expect(verify(privatePem)).resolves.toEqual({ upgraded: false });
  });

  it('without the ack nothing is committed and the old key stays valid', async () => {
    const oldPem = await manifestKey();
    const publicBefore = cloudlet()?.crmAccessPublicKey;
    const err = await failure(
      exchangeAccessKey({
        address: access.address,
        cloudletKey: C1,
        privatePem: oldPem,
        store: () => Promise.reject(new EdgeError(Code.INTERNAL, 'disk full')),
      }),
    );
    expect(err.message).toBe('disk full');
    // No ack was sent, so there is nothing the Controller could commit later either.
    expect(cloudlet()?.crmAccessPublicKey).toBe(publicBefore);
    expect(cloudlet()?.crmAccessKeyUpgradeRequired).toBe(true);
    const retry = await exchangeAccessKey({
      address: access.address,
      cloudletKey: C1,
      privatePem: oldPem,
      store: () => Promise.resolve(),
    });
    expect(retry.upgraded).toBe(true);
  });

  it('recovers with the backup key when an earlier upgrade was never committed', async () => {
    const oldPem = await manifestKey();
    const keyFile = join(dir, 'crm.key');
    // An interrupted upgrade: a key the Controller never committed is in the file, the
    // old one in the backup.
    await writeAccessKeyFile(keyFile, generateAccessKeyPair().privatePem);
    await writeAccessKeyFile(backupKeyFile(keyFile), oldPem);
    const r = await upgradeAccessKeyFile({ address: access.address, cloudletKey: C1, keyFile });
    expect(r.upgraded).toBe(true);
    await expect(getCas(r.privatePem)).resolves.toBeDefined();
  });
});
