import { silentLogger } from '@edge/log';
import type { Queryable } from '../db/db';
import type { AuditRow } from './audit-record';
import { AuditWriter } from './audit-writer';

const row = (name: string): AuditRow => ({
  at: new Date(0).toISOString(),
  name,
  username: '',
  org: '',
  region: '',
  status: 200,
  duration_ms: 1,
  remote_ip: '',
  trace_id: '',
  request: null,
  error: '',
  tags: {},
});

/** A database whose inserts wait until released, recording each batch. */
function slowDb(): Queryable & { batches: string[][]; release(): void } {
  let open: () => void = () => undefined;
  let gate = new Promise<void>((r) => (open = r));
  const batches: string[][] = [];
  return {
    batches,
    release() {
      open();
      gate = Promise.resolve();
    },
    async query<T>(_sql: string, params: readonly unknown[] = []): Promise<T[]> {
      await gate;
      batches.push((JSON.parse(params[0] as string) as AuditRow[]).map((r) => r.name));
      return [];
    },
  };
}

describe('AuditWriter', () => {
  it('batches rows, never blocks add, and drops beyond its bound', async () => {
    const db = slowDb();
    const w = new AuditWriter({ db, log: silentLogger(), maxQueued: 3, batchSize: 2, flushMs: 1 });
    for (const n of ['a', 'b']) w.add(row(n)); // a full batch: the write starts (and waits on the db)
    await new Promise((r) => setTimeout(r, 5));
    for (const n of ['c', 'd', 'e', 'f']) w.add(row(n)); // queue bound 3: f is dropped
    expect(w.stats()).toMatchObject({ queued: 3, dropped: 1 });
    db.release();
    await w.flush();
    expect(db.batches).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(w.stats()).toEqual({ queued: 0, written: 5, dropped: 1, failed: 0 });
    await w.close();
  });

  it('counts and drops a batch the database refuses', async () => {
    const db: Queryable = { query: () => Promise.reject(new Error('down')) };
    const w = new AuditWriter({ db, log: silentLogger(), flushMs: 1 });
    w.add(row('x'));
    await w.flush();
    expect(w.stats()).toMatchObject({ failed: 1, written: 0 });
  });
});
