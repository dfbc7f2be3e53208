import { Code, EdgeError } from '@edge/errors';
import type { ConformanceContext } from './conformance';
import type { KVStore } from './kv-store';

/** Transaction tests of the conformance suite. */
export function txnConformance(ctx: ConformanceContext): void {
  const s = (): KVStore => ctx.store();
  const k = (name: string): string => ctx.prefix() + name;

  describe('txn', () => {
    it('lands every one of 20 concurrent read-modify-write increments', async () => {
      const counter = k('counter');
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          s().txn(
            async (tx) => {
              const n = Number((await tx.get(counter))?.value ?? '0');
              tx.put(counter, String(n + 1));
              return n;
            },
            { maxRetries: 50 },
          ),
        ),
      );
      expect((await s().get(counter))?.value).toBe('20');
      expect(results.map((r) => r.result).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
      expect(new Set(results.map((r) => r.revision)).size).toBe(20);
    });

    it('reruns when a key it read as absent is created concurrently', async () => {
      const key = k('absent');
      let attempts = 0;
      const { result } = await s().txn(async (tx) => {
        attempts++;
        const seen = await tx.get(key);
        if (attempts === 1) await s().create(key, 'theirs');
        if (!seen) tx.put(key, 'mine');
        return seen?.value;
      });
      expect(attempts).toBe(2);
      expect(result).toBe('theirs');
      expect((await s().get(key))?.value).toBe('theirs');
    });

    it('commits on an assumed revision that still holds, reruns on one that does not', async () => {
      const key = k('assumed');
      const rev = (await s().put(key, 'v1')) as number;
      const ok = await s().txn(async (tx) => {
        tx.assume(key, rev);
        tx.put(key, 'v2');
        return tx.attempt;
      });
      expect(ok.result).toBe(0);
      const attempts: number[] = [];
      await s().txn(async (tx) => {
        attempts.push(tx.attempt);
        if (tx.attempt === 0) tx.assume(key, rev);
        else await tx.get(key);
        tx.put(key, 'v3');
      });
      expect(attempts).toEqual([0, 1]);
      expect((await s().get(key))?.value).toBe('v3');
      const absent = k('assumed-absent');
      await s().create(absent, 'theirs');
      const seen: number[] = [];
      await s().txn(async (tx) => {
        seen.push(tx.attempt);
        if (tx.attempt === 0) tx.assume(absent, 0);
        else await tx.get(absent);
        tx.put(k('assumed-other'), 'x');
      });
      expect(seen).toEqual([0, 1]);
    });

    it('writes nothing when the function throws', async () => {
      await s().put(k('keep'), 'old');
      const before = await s().revision();
      await expect(
        s().txn(async (tx) => {
          tx.put(k('keep'), 'new');
          tx.put(k('new'), 'x');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await s().get(k('keep')))?.value).toBe('old');
      expect(await s().get(k('new'))).toBeUndefined();
      expect(await s().revision()).toBeGreaterThanOrEqual(before);
    });

    it('commits all writes at one revision and sees its own writes', async () => {
      await s().put(k('gone'), 'x');
      const { result, revision } = await s().txn(async (tx) => {
        tx.put(k('t1'), 'a');
        tx.put(k('t2'), 'b');
        tx.delete(k('gone'));
        return [(await tx.get(k('t1')))?.value, await tx.get(k('gone'))];
      });
      expect(result).toEqual(['a', undefined]);
      expect(await s().get(k('t1'))).toMatchObject({
        value: 'a',
        modRevision: revision,
        createRevision: revision,
      });
      expect(await s().get(k('t2'))).toMatchObject({ value: 'b', modRevision: revision });
      expect(await s().get(k('gone'))).toBeUndefined();
    });

    it('returns the current revision when it wrote nothing', async () => {
      const r = await s().put(k('ro'), 'v');
      const { result, revision } = await s().txn(async (tx) => (await tx.get(k('ro')))?.value);
      expect(result).toBe('v');
      expect(revision).toBeGreaterThanOrEqual(r);
    });

    it('gives up with ABORTED after maxRetries conflicts', async () => {
      const key = k('hot');
      let attempts = 0;
      const err = await s()
        .txn(
          async (tx) => {
            attempts++;
            await tx.get(key);
            await s().put(key, String(attempts));
            tx.put(key, 'never');
          },
          { maxRetries: 2 },
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EdgeError);
      expect((err as EdgeError).code).toBe(Code.ABORTED);
      expect(attempts).toBe(3);
      expect((await s().get(key))?.value).toBe('3');
    });
  });
}
