import { describeWithServers } from '@edge/testing';
import { TEST_ADMIN, startTestMc, type TestMc } from '../testing/test-mc';

describeWithServers('alerts and audit areas wired into the MC (real login)', () => {
  let t: TestMc;
  let token: string;
  beforeAll(async () => {
    t = await startTestMc();
    token = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets an admin create a Platform receiver and finds the request in the audit log', async () => {
    const r = await t.post(
      'auth/alertreceiver/create',
      { name: 'platform', type: 'webhook', severity: 'error', webhookurl: 'https://hooks.example/abc' },
      token,
    );
    expect(r.body).toEqual({ message: 'Alert receiver created successfully' });
    const shown = await t.post<unknown[]>('auth/alertreceiver/show', {}, token);
    expect(shown.lines[0]).toEqual([
      expect.objectContaining({ Name: 'platform', User: TEST_ADMIN.username, WebhookUrl: '<hidden>' }),
    ]);
    // The audit write is asynchronous: poll until the record is there.
    let events: { name: string; mtags: Record<string, string> }[] = [];
    for (let i = 0; i < 100 && events.length === 0; i++) {
      const e = await t.post<typeof events>(
        'auth/events/show',
        { match: { names: ['/api/v1/auth/alertreceiver/create'] } },
        token,
      );
      events = e.lines[0] as typeof events;
      if (events.length === 0) await new Promise((res) => setTimeout(res, 20));
    }
    expect(events).toHaveLength(1);
    expect(events[0]?.mtags['username']).toBe(TEST_ADMIN.username);
    expect(events[0]?.mtags['request']).not.toContain('hooks.example');
    // The login itself is audited without its password.
    const logins = await t.post<{ mtags: Record<string, string> }[]>(
      'auth/events/show',
      { match: { names: ['/api/v1/login'] } },
      token,
    );
    const req = (logins.lines[0] as { mtags: Record<string, string> }[])[0]?.mtags['request'] ?? '';
    expect(req).toContain(TEST_ADMIN.username);
    expect(req).not.toContain(TEST_ADMIN.password);
  });
});
