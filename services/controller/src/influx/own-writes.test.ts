import { MemStore } from '@edge/store';
import { OwnWrites, trackOwnWrites } from './own-writes';

describe('OwnWrites', () => {
  it('runs work for a claimed revision at once, and parked work when the claim comes later', () => {
    const own = new OwnWrites();
    const ran: string[] = [];
    own.claim(5);
    own.ifMine(5, () => ran.push('claimed first'));
    own.ifMine(6, () => ran.push('parked'));
    own.ifMine(7, () => ran.push('never'));
    expect(ran).toEqual(['claimed first']);
    own.claim(6);
    expect(ran).toEqual(['claimed first', 'parked']);
  });

  it('forgets parked work after a while', () => {
    let now = 0;
    const own = new OwnWrites(() => now);
    const ran: number[] = [];
    own.ifMine(1, () => ran.push(1));
    now = 60_000;
    own.ifMine(2, () => ran.push(2));
    expect(own.size.parked).toBe(1);
    own.claim(1);
    expect(ran).toEqual([]);
  });

  it('claims the revisions of writes and write transactions, not of read-only transactions', async () => {
    const mem = new MemStore();
    const own = new OwnWrites();
    const kv = trackOwnWrites(mem, own);
    const claimed: number[] = [];
    const watch = (rev: number): void => own.ifMine(rev, () => claimed.push(rev));
    const r1 = await kv.put('a', '1');
    const { revision: r2 } = await kv.txn(async (tx) => {
      await tx.get('a');
      tx.put('b', '2');
    });
    const r3 = await mem.put('c', '3');
    const { revision: r4 } = await kv.txn(async (tx) => tx.get('a'));
    for (const r of [r1, r2, r3, r4]) watch(r);
    expect(claimed).toEqual([r1, r2]);
    expect(r4).toBe(r3);
    await mem.close();
  });
});
