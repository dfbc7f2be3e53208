import { silentLogger } from '@edge/log';
import { describeWithServers, uniqueName } from '@edge/testing';
import { InfluxDB } from 'influx';
import { InfluxWriter, type InfluxWriterOptions } from './influx-writer';
import { IntField, NanoClock, type InfluxPoint } from './points';
import { TcpProxy } from './tcp-proxy';

async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeWithServers('InfluxWriter (real InfluxDB)', (servers) => {
  const url = new URL(servers.influx);
  const influx = new InfluxDB({ host: url.hostname, port: Number(url.port) });
  const clock = new NanoClock();
  const dbs: string[] = [];
  const newDb = (): string => {
    const db = uniqueName('w');
    dbs.push(db);
    return db;
  };
  const writers: InfluxWriter[] = [];
  const writer = (opts: Partial<InfluxWriterOptions>): InfluxWriter => {
    const w = new InfluxWriter({ url: servers.influx, log: silentLogger(), flushIntervalMs: 50, ...opts });
    writers.push(w);
    w.start();
    return w;
  };
  const point = (i: number, fields: InfluxPoint['fields'] = { n: new IntField(BigInt(i)) }): InfluxPoint => ({
    measurement: 'm',
    tags: { series: 's', empty: '' },
    fields,
    timestampNs: clock.next(),
  });
  const count = async (db: string): Promise<number> => {
    const rows = await influx.query<{ count: number }>('SELECT count(n) FROM m', { database: db });
    return rows[0]?.count ?? 0;
  };
  afterAll(async () => {
    for (const w of writers) await w.stop();
    for (const db of dbs) await influx.dropDatabase(db);
  });

  it('creates its databases at start and writes queued points in batches, integers as integers', async () => {
    const db = newDb();
    const w = writer({ databases: [db], flushCount: 3 });
    await until(async () => (await influx.getDatabaseNames()).includes(db));
    for (let i = 0; i < 5; i++) w.write(db, point(i));
    await until(() => w.stats().written === 5);
    expect(await count(db)).toBe(5);
    const keys = await influx.query<{ fieldKey: string; fieldType: string }>('SHOW FIELD KEYS FROM m', {
      database: db,
    });
    expect(keys.map((k) => [k.fieldKey, k.fieldType])).toEqual([['n', 'integer']]);
  });

  it('drops points InfluxDB refuses instead of retrying them', async () => {
    const db = newDb();
    const w = writer({ databases: [db] });
    w.write(db, point(1));
    await until(() => w.stats().written === 1);
    w.write(db, point(2, { n: 'not an integer' }));
    await until(() => w.stats().rejected === 1);
    expect(w.stats().queued).toBe(0);
  });

  it('keeps the newest points while InfluxDB is down, then writes them and creates the database when it is back', async () => {
    const proxy = new TcpProxy(url.hostname, Number(url.port));
    const port = await proxy.listen();
    await proxy.close();
    const db = newDb();
    const w = writer({
      url: `http://127.0.0.1:${port}`,
      databases: [db],
      maxQueued: 10,
      retryMinMs: 20,
      retryMaxMs: 100,
    });
    const t0 = performance.now();
    for (let i = 0; i < 25; i++) w.write(db, point(i));
    expect(performance.now() - t0).toBeLessThan(50);
    expect(w.stats()).toMatchObject({ queued: 10, dropped: 15, written: 0 });
    await until(() => w.stats().failures >= 2);
    expect(await influx.getDatabaseNames()).not.toContain(db);

    await proxy.listen();
    await until(() => w.stats().written === 10);
    expect(await count(db)).toBe(10);
    const rows = await influx.query<{ n: number }>('SELECT n FROM m', { database: db });
    expect(rows.map((r) => r.n)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    await w.stop();
    await proxy.close();
  });
});
