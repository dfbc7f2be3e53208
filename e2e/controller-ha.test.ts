/**
 * Two regional Controllers on one etcd (same region), each with its own etcd client: they
 * share every object through their watches, list each other through their lease-held
 * Controller objects, and one going away loses nothing. See docs/adr/0008-controller-ha-and-events.md.
 */
import { silentLogger } from '@edge/log';
import { edgeproto, ObjectRegistry, allFiles } from '@edge/proto';
import { describeWithServers, uniqueName } from '@edge/testing';
import { startRegistration, type Registration } from '../services/controller/src/registration';
import { collect, startController, type ControllerHarness } from '../services/controller/src/testing/harness';

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeWithServers('Controller HA (two Controllers, real etcd)', (servers) => {
  const reg = new ObjectRegistry(allFiles);
  let region: string;
  let a: ControllerHarness;
  let b: ControllerHarness;
  let regA: Registration | undefined;
  let regB: Registration;

  /** What `createController({ apiAddr })` does on start, here with the harness's port-0 address. */
  const register = (h: ControllerHarness, ttlMs = 10_000): Promise<Registration> =>
    startRegistration({
      kv: h.kv,
      cache: h.ctrl.cache,
      region,
      type: reg.get('Controller'),
      addr: h.address,
      hostname: 'e2e',
      log: silentLogger(),
      ttlMs,
    });
  const showControllers = async (via: ControllerHarness): Promise<string[]> =>
    (await collect(via.client(edgeproto.ControllerApi).showController({})))
      .map((c) => c.key?.addr ?? '')
      .sort();
  const showFlavors = async (via: ControllerHarness): Promise<string[]> =>
    (await collect(via.client(edgeproto.FlavorApi).showFlavor({}))).map((f) => f.key?.name ?? '').sort();
  const flavor = (name: string): edgeproto.Flavor =>
    ({ key: { name }, ram: 1024n, vcpus: 1n, disk: 10n }) as edgeproto.Flavor;

  beforeEach(async () => {
    region = uniqueName('ha');
    a = await startController({ etcd: servers.etcd, region });
    b = await startController({ etcd: servers.etcd, region });
    regA = await register(a, 1000);
    regB = await register(b);
  });
  afterEach(async () => {
    await regA?.stop().catch(() => undefined);
    await regB.stop();
    await a.close();
    await b.close();
  });

  it('shares objects, lists both Controllers, and keeps everything when one stops', async () => {
    await a.client(edgeproto.FlavorApi).createFlavor(flavor('from-a'));
    expect(
      await eventually(
        () => showFlavors(b),
        (v) => v.includes('from-a'),
      ),
    ).toEqual(['from-a']);
    await b.client(edgeproto.FlavorApi).createFlavor(flavor('from-b'));
    expect(
      await eventually(
        () => showFlavors(a),
        (v) => v.length === 2,
      ),
    ).toEqual(['from-a', 'from-b']);

    const both = [a.address, b.address].sort();
    expect(
      await eventually(
        () => showControllers(b),
        (v) => v.length === 2,
      ),
    ).toEqual(both);
    expect(await showControllers(a)).toEqual(both);

    await regA?.stop();
    regA = undefined;
    await a.close();
    expect(
      await eventually(
        () => showControllers(b),
        (v) => v.length === 1,
      ),
    ).toEqual([b.address]);
    expect(await showFlavors(b)).toEqual(['from-a', 'from-b']);
    await b.client(edgeproto.FlavorApi).deleteFlavor({ key: { name: 'from-a' } });
    expect(await showFlavors(b)).toEqual(['from-b']);
  });

  it("drops a dead Controller's registration once its lease expires", async () => {
    expect(
      await eventually(
        () => showControllers(b),
        (v) => v.length === 2,
      ),
    ).toHaveLength(2);
    // The process dies: the store connection closes, keep-alives stop, nothing is revoked.
    regA = undefined;
    await a.close();
    expect(
      await eventually(
        () => showControllers(b),
        (v) => v.length === 1,
      ),
    ).toEqual([b.address]);
  });

  it('loses no write made through either Controller under concurrency', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `f${String(i).padStart(2, '0')}`);
    await Promise.all(
      names.map((n, i) => (i % 2 ? a : b).client(edgeproto.FlavorApi).createFlavor(flavor(n))),
    );
    await regA?.stop();
    regA = undefined;
    await a.close();
    expect(
      await eventually(
        () => showFlavors(b),
        (v) => v.length === names.length,
      ),
    ).toEqual(names);
  });
});
