import { describeWithServers } from '@edge/testing';
import { createVerifiedUser, STRONG_PASSWORD } from '../testing/accounts-fixtures';
import { startTestMc, TEST_ADMIN, type TestMc } from '../testing/test-mc';

describeWithServers('Config API (real PostgreSQL)', () => {
  let t: TestMc;
  let admin: string;
  beforeAll(async () => {
    t = await startTestMc();
    admin = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the defaults with the original field names', async () => {
    const r = await t.post('auth/config/show', {}, admin);
    expect(r.body).toMatchObject({
      ID: 0,
      NotifyEmailAddress: 'support@mobiledgex.com',
      PasswordMinCrackTimeSec: 2592000,
      AdminPasswordMinCrackTimeSec: 63072000,
      UserApiKeyCreateLimit: 10,
      FailedLoginLockoutThreshold1: 3,
      FailedLoginLockoutTimeSec2: 300,
      UserLoginTokenValidDuration: '24h0m0s',
      ApiKeyLoginTokenValidDuration: '4h0m0s',
      WebsocketTokenValidDuration: '2m0s',
    });
  });

  it('updates only the given fields, validates, resets', async () => {
    expect(
      (
        await t.post(
          'auth/config/update',
          { skipverifyemail: true, userlogintokenvalidduration: '12h' },
          admin,
        )
      ).status,
    ).toBe(200);
    const shown = await t.post('auth/config/show', {}, admin);
    expect(shown.body).toMatchObject({
      SkipVerifyEmail: true,
      UserLoginTokenValidDuration: '12h0m0s',
      UserApiKeyCreateLimit: 10,
    });
    const bad = await t.post('auth/config/update', { FailedLoginLockoutThreshold2: 2 }, admin);
    expect(bad.body['message']).toBe(
      'Failed login lockout threshold 2 of 2 must be greater than threshold 1 of 3',
    );
    const short = await t.post('auth/config/update', { UserLoginTokenValidDuration: '1m' }, admin);
    expect(short.body['message']).toBe('User login token valid duration cannot be less than 3 minutes');
    expect((await t.post('auth/config/reset', {}, admin)).status).toBe(200);
    expect((await t.post('auth/config/show', {}, admin)).body['SkipVerifyEmail']).toBe(false);
  });

  it('is admin only, except publicconfig', async () => {
    await createVerifiedUser(t, 'plain');
    const tok = await t.login('plain', STRONG_PASSWORD);
    for (const p of ['auth/config/show', 'auth/config/update', 'auth/config/reset', 'auth/config/version'])
      expect((await t.post(p, {}, tok)).status).toBe(403);
    const pub = await t.post('publicconfig');
    expect(pub.body).toMatchObject({ PasswordMinCrackTimeSec: 2592000, AdminPasswordMinCrackTimeSec: 0 });
    expect((await t.post('auth/config/version', {}, admin)).body).toHaveProperty('hostname');
  });
});
