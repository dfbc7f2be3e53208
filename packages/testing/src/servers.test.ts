import { Etcd3 } from 'etcd3';
import { FieldType, InfluxDB } from 'influx';
import pg from 'pg';
import { hasAlert, startAlertWebhook, type AlertWebhook } from './alert-webhook';
import { describeWithServers, uniqueName } from './test-env';

describeWithServers('test servers (scripts/test-env)', (servers) => {
  describe('etcd', () => {
    let etcd: Etcd3;
    beforeAll(() => {
      etcd = new Etcd3({ hosts: `http://${servers.etcd}` });
    });
    afterAll(() => etcd.close());

    test('put / get / delete', async () => {
      const key = `${uniqueName('test-env')}/hello`;
      await etcd.put(key).value('world');
      expect(await etcd.get(key).string()).toBe('world');
      await etcd.delete().key(key);
      expect(await etcd.get(key).string()).toBeNull();
    });
  });

  describe('postgres', () => {
    let client: pg.Client;
    beforeAll(async () => {
      client = new pg.Client({ connectionString: servers.pg });
      await client.connect();
    });
    afterAll(() => client.end());

    test('select 1', async () => {
      const res = await client.query<{ x: number }>('select 1::int as x');
      expect(res.rows).toEqual([{ x: 1 }]);
    });

    test('table round trip', async () => {
      const table = uniqueName('test_env');
      await client.query(`create table ${table} (id serial primary key, doc jsonb not null)`);
      try {
        await client.query(`insert into ${table} (doc) values ($1), ($2)`, [{ a: 1 }, { b: [2, 3] }]);
        const res = await client.query<{ id: number; doc: unknown }>(
          `select id, doc from ${table} order by id`,
        );
        expect(res.rows).toEqual([
          { id: 1, doc: { a: 1 } },
          { id: 2, doc: { b: [2, 3] } },
        ]);
      } finally {
        await client.query(`drop table ${table}`);
      }
    });
  });

  describe('influxdb', () => {
    const database = uniqueName('test_env');
    let influx: InfluxDB;
    beforeAll(async () => {
      const url = new URL(servers.influx);
      influx = new InfluxDB({
        host: url.hostname,
        port: Number(url.port),
        database,
        schema: [
          {
            measurement: 'cpu',
            tags: ['host'],
            fields: { load: FieldType.FLOAT },
          },
        ],
      });
      await influx.createDatabase(database);
    });
    afterAll(() => influx.dropDatabase(database));

    test('write points and query them back', async () => {
      const t0 = Date.now() - 10_000;
      await influx.writePoints([
        { measurement: 'cpu', tags: { host: 'a' }, fields: { load: 0.5 }, timestamp: new Date(t0) },
        { measurement: 'cpu', tags: { host: 'a' }, fields: { load: 1.5 }, timestamp: new Date(t0 + 1000) },
        { measurement: 'cpu', tags: { host: 'b' }, fields: { load: 3 }, timestamp: new Date(t0 + 2000) },
      ]);
      const rows = await influx.query<{ host: string; mean: number }>(
        `select mean(load) as mean from cpu group by host`,
      );
      const byHost = Object.fromEntries(rows.map((r) => [r.host, r.mean]));
      expect(byHost).toEqual({ a: 1, b: 3 });
    });
  });

  describe('alertmanager', () => {
    let webhook: AlertWebhook;
    beforeAll(async () => {
      webhook = await startAlertWebhook(servers.amWebhookPort);
    });
    afterAll(() => webhook.close());

    const postAlert = async (
      labels: Record<string, string>,
      startsAt: Date,
      endsAt?: Date,
    ): Promise<void> => {
      const alert = {
        labels,
        annotations: { summary: 'scripts/test-env self-test' },
        startsAt: startsAt.toISOString(),
        ...(endsAt ? { endsAt: endsAt.toISOString() } : {}),
      };
      const res = await fetch(`${servers.alertmanager}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([alert]),
      });
      expect(res.status).toBe(200);
    };

    test('ready', async () => {
      const res = await fetch(`${servers.alertmanager}/-/ready`);
      expect(res.status).toBe(200);
    });

    test('delivers a posted alert (and its resolution) to the webhook', async () => {
      const alertname = uniqueName('TestEnvAlert');
      const labels = { alertname, region: 'local' };
      // The resolution keeps the start time: Alertmanager refuses an end before the start.
      const startsAt = new Date();
      await postAlert(labels, startsAt);
      const firing = await webhook.waitFor((p) => hasAlert(p, alertname, 'firing'), 15_000);
      expect(firing.status).toBe('firing');
      expect(firing.alerts[0]?.labels).toMatchObject(labels);

      await postAlert(labels, startsAt, new Date(Math.max(Date.now(), startsAt.getTime() + 1)));
      const resolved = await webhook.waitFor((p) => hasAlert(p, alertname, 'resolved'), 15_000);
      expect(resolved.status).toBe('resolved');
    }, 35_000);
  });
});
