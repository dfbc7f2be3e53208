import { describeWithServers } from '@edge/testing';
import { startAreaTestApp, type AreaTestApp } from '../testing/area-test-app';
import type { EventData } from './event-data';

describeWithServers('audit log and events search (real PostgreSQL)', () => {
  let t: AreaTestApp;
  beforeAll(async () => {
    t = await startAreaTestApp();
    await t.grant('admin', '', 'AdminManager');
    await t.grant('dev1', 'devorg', 'DeveloperManager');
    await t.grant('dev2', 'otherorg', 'DeveloperManager');
    // Audited requests: receiver creates (org from the receiver), a failed one, a show (not audited).
    const mk = (user: string, org: string, name: string, extra: Record<string, unknown> = {}) =>
      t.post(
        'auth/alertreceiver/create',
        {
          Name: name,
          Type: 'webhook',
          Severity: 'info',
          WebhookUrl: 'https://hooks.example/secret-token',
          Region: 'EU',
          AppInst: { app_key: { organization: org } },
          ...extra,
        },
        user,
      );
    expect((await mk('dev1', 'devorg', 'one')).status).toBe(200);
    expect((await mk('dev1', 'devorg', 'bad', { Severity: 'loud' })).status).toBe(400);
    expect((await mk('dev2', 'otherorg', 'two')).status).toBe(200);
    expect((await t.post('auth/alertreceiver/show', {}, 'dev1')).status).toBe(200);
    await t.audit.writer.flush();
  });
  afterAll(async () => {
    await t?.close();
  });

  const show = (body: unknown, user = 'admin') => t.post<EventData[]>('auth/events/show', body, user);

  it('writes one record per non-show request, secrets removed, in the EventData shape', async () => {
    const r = await show({ match: { names: ['/api/v1/auth/alertreceiver/create'] } });
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(3);
    const first = r.body[r.body.length - 1];
    expect(first).toMatchObject({
      name: '/api/v1/auth/alertreceiver/create',
      org: ['devorg'],
      type: 'audit',
      region: 'EU',
      mtags: { username: 'dev1', status: '200', method: 'POST' },
    });
    expect(first?.mtags['request']).toContain('"Name":"one"');
    expect(first?.mtags['request']).not.toContain('secret-token');
    expect(r.body.some((e) => e.name.includes('show'))).toBe(false);
  });

  it('filters exactly on match and notmatch', async () => {
    const failed = await show({ match: { failed: true } });
    expect(failed.body.map((e) => e.error)).toEqual([
      'Alert severity has to be one of "info", "warning", "error"',
    ]);
    const byTag = await show({ match: { tags: { username: 'dev2' } } });
    expect(byTag.body.map((e) => e.org)).toEqual([['otherorg']]);
    const notDev = await show({ notmatch: { orgs: ['devorg'] } });
    expect(notDev.body.map((e) => e.org)).toEqual([['otherorg']]);
    const byError = await show({ match: { error: 'SEVERITY' } });
    expect(byError.body).toHaveLength(1);
    const wrongType = await show({ match: { types: ['event'] } });
    expect(wrongType.body).toEqual([]);
    const paged = await show({ limit: 1, from: 1 });
    expect(paged.body).toHaveLength(1);
    const old = await show({ endtime: '2020-01-01T00:00:00Z' });
    expect(old.body).toEqual([]);
  });

  it('shows non-admins only records of their orgs', async () => {
    const dev1 = await show({}, 'dev1');
    expect(dev1.body.map((e) => e.org[0])).toEqual(['devorg', 'devorg']);
    const stranger = await show({}, 'nobody');
    expect(stranger).toEqual({ status: 403, body: { message: 'Forbidden' } });
  });

  it('ranks find results by the criteria they meet', async () => {
    const r = await t.post<EventData[]>(
      'auth/events/find',
      { match: { names: ['alertreceiver'], tags: { username: 'dev2' } } },
      'admin',
    );
    expect(r.body).toHaveLength(3);
    expect(r.body[0]?.org).toEqual(['otherorg']);
  });

  it('aggregates terms', async () => {
    const r = await t.post<Record<string, { key: string; count: number }[]>>(
      'auth/events/terms',
      {},
      'admin',
    );
    expect(r.body['names']).toEqual([{ key: '/api/v1/auth/alertreceiver/create', count: 3 }]);
    expect(r.body['orgs']).toEqual([
      { key: 'devorg', count: 2 },
      { key: 'otherorg', count: 1 },
    ]);
    expect(r.body['regions']).toEqual([{ key: 'EU', count: 3 }]);
    expect(r.body['types']).toEqual([{ key: 'audit', count: 3 }]);
    expect(r.body['tagkeys']?.map((k) => k.key)).toContain('username');
    const dev2 = await t.post<Record<string, { key: string }[]>>('auth/events/terms', {}, 'dev2');
    expect(dev2.body['orgs']).toEqual([{ key: 'otherorg', count: 1 }]);
  });
});
