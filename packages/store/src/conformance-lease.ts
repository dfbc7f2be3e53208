import { Code, EdgeError } from '@edge/errors';
import type { ConformanceContext } from './conformance';
import { eventually } from './conformance';
import type { KVStore } from './kv-store';

/** Lease tests of the conformance suite. */
export function leaseConformance(ctx: ConformanceContext): void {
  const s = (): KVStore => ctx.store();
  const k = (name: string): string => ctx.prefix() + name;

  describe('lease', () => {
    it('deletes its keys when revoked', async () => {
      const lease = await s().grantLease(2000);
      await s().put(k('l/a'), 'a', { lease: lease.id });
      await s().txn(async (tx) => tx.put(k('l/b'), 'b', { lease: lease.id }));
      expect((await s().get(k('l/a')))?.lease).toBe(lease.id);
      await lease.revoke();
      expect(await s().get(k('l/a'))).toBeUndefined();
      expect(await s().get(k('l/b'))).toBeUndefined();
      const err = await s()
        .put(k('l/c'), 'c', { lease: lease.id })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EdgeError);
      expect((err as EdgeError).code).toBe(Code.NOT_FOUND);
    });

    it('keeps its keys while kept alive, and loses them once keep-alives stop', async () => {
      const lease = await s().grantLease(1000);
      await s().put(k('l/live'), 'x', { lease: lease.id });
      await new Promise((r) => setTimeout(r, 2200));
      expect(await s().get(k('l/live'))).toBeDefined();
      ctx.target().stopKeepAlive(lease);
      await eventually(async () => (await s().get(k('l/live'))) === undefined, 6000, 'the lease to expire');
    }, 15_000);
  });
}
