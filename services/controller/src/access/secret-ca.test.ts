import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, EdgeError } from '@edge/errors';
import { silentLogger } from '@edge/log';
import { FileSecretStore, MemorySecretStore } from '@edge/secrets';
import { secretCa } from './secret-ca';
import { caSecretPath, cloudletAccessVarsPath } from './secret-paths';

const log = silentLogger();

describe('secretCa', () => {
  it('creates the CA once, stores it, and loads it afterwards', async () => {
    const secrets = new MemorySecretStore();
    const get = secretCa(secrets, 'pki-regional-cloudlet', log);
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(await secrets.list('pki/pki-regional-cloudlet/')).toEqual(['ca']);
    const stored = await secrets.get(caSecretPath('pki-regional-cloudlet'));
    expect(stored).toEqual({ cert_pem: a.certPem, key_pem: a.keyPem });
    expect((await secretCa(secrets, 'pki-regional-cloudlet', log)()).certPem).toBe(a.certPem);
  });

  it('survives a restart with the file backend', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secret-ca-'));
    try {
      const opts = { file: join(dir, 'secrets.enc'), masterKeyFile: join(dir, 'master.key') };
      const before = await secretCa(await FileSecretStore.open(opts), 'pki-regional-cloudlet', log)();
      const after = await secretCa(await FileSecretStore.open(opts), 'pki-regional-cloudlet', log)();
      expect(after).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an incomplete CA secret, and retries on the next call', async () => {
    const secrets = new MemorySecretStore();
    await secrets.put(caSecretPath('x'), { cert_pem: 'only a cert' });
    const get = secretCa(secrets, 'x', log);
    const err = await get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EdgeError);
    expect((err as EdgeError).code).toBe(Code.FAILED_PRECONDITION);
    expect((err as EdgeError).message).toBe('CA secret pki/x/ca lacks cert_pem or key_pem');
    await secrets.delete(caSecretPath('x'));
    expect((await get()).certPem).toMatch(/BEGIN CERTIFICATE/);
  });
});

describe('cloudletAccessVarsPath', () => {
  it('derives one folder per cloudlet, that no name can escape', () => {
    expect(cloudletAccessVarsPath({ organization: 'op', name: 'c1' })).toBe('cloudlet/op/c1/accessvars');
    expect(cloudletAccessVarsPath({ organization: 'op', name: 'c1', federatedOrganization: 'fed' })).toBe(
      'cloudlet/op/c1@fed/accessvars',
    );
    expect(cloudletAccessVarsPath({ organization: 'op', name: 'x/../c2' })).toBe(
      'cloudlet/op/x%2F..%2Fc2/accessvars',
    );
    expect(cloudletAccessVarsPath({ organization: 'op', name: 'c1@fed' })).toBe(
      'cloudlet/op/c1%40fed/accessvars',
    );
  });
});
