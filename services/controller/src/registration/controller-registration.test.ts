import { silentLogger } from '@edge/log';
import { ObjectRegistry, allFiles, type edgeproto } from '@edge/proto';
import { MemStore, RegionCache } from '@edge/store';
import { createController } from '../controller';
import { startRegistration, type Registration } from './controller-registration';

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Controller registration', () => {
  const reg = new ObjectRegistry(allFiles);
  const type = reg.get('Controller');
  let kv: MemStore;
  let cache: RegionCache;
  let r: Registration | undefined;
  const controllers = (): edgeproto.Controller[] => cache.type<edgeproto.Controller>('Controller').list();
  const register = (addr: string): Promise<Registration> =>
    startRegistration({
      kv,
      cache,
      region: 'local',
      type,
      addr,
      hostname: 'host-a',
      build: { master: 'm', head: 'h', author: 'a' },
      log: silentLogger(),
      ttlMs: 1000,
      retryMs: 10,
    });

  beforeEach(async () => {
    kv = new MemStore();
    cache = new RegionCache({ store: kv, region: 'local', types: [type] });
    await cache.start();
  });
  afterEach(async () => {
    await r?.stop();
    r = undefined;
    await cache.stop();
    await kv.close();
  });

  it('stores the Controller object under a lease, and removes it on stop', async () => {
    r = await register('10.0.0.1:55001');
    expect(
      controllers().map((c) => [c.key?.addr, c.hostname, c.buildMaster, c.buildHead, c.buildAuthor]),
    ).toEqual([['10.0.0.1:55001', 'host-a', 'm', 'h', 'a']]);
    const stored = await kv.get('local/Controller/{"addr":"10.0.0.1:55001"}');
    expect(stored?.lease).toBe(r.leaseId);
    await r.stop();
    r = undefined;
    await until(() => controllers().length === 0);
  });

  it('registers again with a new lease when the lease is lost', async () => {
    r = await register('10.0.0.1:55001');
    const first = r.leaseId ?? '';
    kv.expireLease(first);
    await until(() => r?.leaseId !== undefined && r.leaseId !== first && controllers().length === 1);
    expect((await kv.get('local/Controller/{"addr":"10.0.0.1:55001"}'))?.lease).toBe(r.leaseId);
  });

  it('registers again when the object is deleted under it', async () => {
    r = await register('10.0.0.1:55001');
    await kv.delete('local/Controller/{"addr":"10.0.0.1:55001"}');
    await until(() => controllers().length === 1);
    expect(controllers()[0]?.hostname).toBe('host-a');
  });

  it('lists every live Controller', async () => {
    r = await register('10.0.0.1:55001');
    const other = await register('10.0.0.2:55001');
    expect(
      controllers()
        .map((c) => c.key?.addr)
        .sort(),
    ).toEqual(['10.0.0.1:55001', '10.0.0.2:55001']);
    await other.stop();
    await until(() => controllers().length === 1);
  });
});

describe('createController with apiAddr', () => {
  it('registers on start and unregisters on stop', async () => {
    const reg = new ObjectRegistry(allFiles);
    const kv = new MemStore();
    const ctrl = createController({
      reg,
      kv,
      region: 'local',
      log: silentLogger(),
      apiAddr: '10.0.0.9:55001',
    });
    await ctrl.start();
    const list = (): edgeproto.Controller[] => ctrl.cache.type<edgeproto.Controller>('Controller').list();
    expect(list().map((c) => c.key?.addr)).toEqual(['10.0.0.9:55001']);
    expect(list()[0]?.hostname).not.toBe('');
    await ctrl.stop();
    expect((await kv.list('local/Controller/')).kvs).toEqual([]);
    await kv.close();
  });
});
