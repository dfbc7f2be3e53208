import { describeWithServers } from '@edge/testing';
import { testClock } from '../testing/accounts-fixtures';
import { startTestMc, TEST_ADMIN, type TestMc } from '../testing/test-mc';

describeWithServers('MC tokens: expiry, refresh, websocket tokens (real PostgreSQL)', () => {
  const clock = testClock();
  let t: TestMc;
  beforeAll(async () => {
    t = await startTestMc({}, { now: clock.now });
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs a token: 400 without, 401 for a bad one, Bearer or cookie', async () => {
    expect(await t.post('auth/user/current')).toMatchObject({
      status: 400,
      body: { message: 'No bearer token found' },
    });
    expect(await t.post('auth/user/current', {}, 'not.a.jwt')).toMatchObject({
      status: 401,
      body: { message: 'Invalid or expired jwt' },
    });
    const token = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const tampered = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await t.post('auth/user/current', {}, tampered)).status).toBe(401);
    const byCookie = await fetch(`${t.url}/api/v1/auth/user/current`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `token=${token}` },
      body: '{}',
    });
    expect(byCookie.status).toBe(200);
  });

  it('refuses an expired token with the JWT library text (400)', async () => {
    const token = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    clock.advance(25 * 3600_000);
    const r = await t.post('auth/user/current', {}, token);
    expect(r).toMatchObject({ status: 400, body: { message: 'Token is expired by 1h0m0s' } });
  });

  it('refreshes for one more day, up to 30 days after the first login', async () => {
    let token = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const step = 23 * 3600_000 + 50 * 60_000; // just under the day a refreshed token lives
    for (let i = 1; i <= 30; i++) {
      clock.advance(step); // after 30 steps: 29.8 days since the login
      const r = await t.post<{ token: string }>('auth/refresh', {}, token);
      expect(r.status).toBe(200);
      expect(r.headers.get('set-cookie')).toMatch(/^token=/);
      token = r.body.token;
    }
    clock.advance(step); // 30.8 days
    const late = await t.post('auth/refresh', {}, token);
    expect(late).toMatchObject({ status: 401, body: { message: 'Expired jwt' } });
  });

  it('issues 2-minute websocket tokens', async () => {
    const token = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const ws = await t.post<{ token: string }>('auth/wstoken', {}, token);
    expect(ws.status).toBe(200);
    const claims = JSON.parse(Buffer.from(ws.body.token.split('.')[1]!, 'base64url').toString()) as {
      iat: number;
      exp: number;
      username: string;
    };
    expect(claims.exp - claims.iat).toBe(120);
    expect(claims.username).toBe(TEST_ADMIN.username);
  });
});
