import { describeWithServers } from '@edge/testing';
import { SqlAuthorizer } from '../rbac/sql-authorizer';
import { createVerifiedUser, STRONG_PASSWORD } from '../testing/accounts-fixtures';
import { startTestMc, TEST_ADMIN, type TestMc } from '../testing/test-mc';

describeWithServers('API keys (real PostgreSQL)', () => {
  let t: TestMc;
  let admin: string;
  beforeAll(async () => {
    t = await startTestMc();
    admin = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    await t.db.db.query(
      `INSERT INTO organizations (name, type) VALUES ('devorg', 'developer'), ('otherorg', 'developer')`,
    );
    await createVerifiedUser(t, 'dev1');
    await t.db.db.query(
      `INSERT INTO role_assignments (org, subject, role) VALUES ('devorg', 'dev1', 'DeveloperContributor')`,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a key limited to the given permissions, logs in with it, refuses key management by keys', async () => {
    const dev = await t.login('dev1', STRONG_PASSWORD);
    const tooMuch = await t.post(
      'auth/user/create/apikey',
      { org: 'devorg', description: 'ci', permissions: [{ resource: 'users', action: 'manage' }] },
      dev,
    );
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body['message']).toMatch(
      /^Invalid permission specified: \[users:manage\], valid permissions \(resource:action\) are \[/,
    );
    expect(
      (await t.post('auth/user/create/apikey', { org: 'devorg', description: 'x', permissions: [] }, dev))
        .body['message'],
    ).toBe('No permissions for specified org');

    const created = await t.post<{ Id: string; ApiKey: string }>(
      'auth/user/create/apikey',
      { org: 'devorg', description: 'ci', permissions: [{ resource: 'apps', action: 'manage' }] },
      dev,
    );
    expect(created.status).toBe(200);
    expect(created.body.Id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await t.db.db.one<{ api_key_hash: string }>(
      `SELECT api_key_hash FROM user_api_keys WHERE id = $1`,
      [created.body.Id],
    );
    expect(stored?.api_key_hash).not.toBe(created.body.ApiKey);

    const bad = await t.post('login', { apikeyid: created.body.Id, apikey: 'wrong' });
    expect(bad.body['message']).toBe('Invalid ApiKey or ApiKeyId');
    const login = await t.post<{ token: string }>('login', {
      apikeyid: created.body.Id,
      apikey: created.body.ApiKey,
    });
    expect(login.status).toBe(200);
    const claims = JSON.parse(Buffer.from(login.body.token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      username: created.body.Id,
      authtype: 'apikeyauth',
      apikeyusername: 'dev1',
    });
    expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(4 * 3600);

    const authz = new SqlAuthorizer(t.db.db);
    expect(await authz.allowed(created.body.Id, 'devorg', 'apps', 'manage')).toBe(true);
    expect(await authz.allowed(created.body.Id, 'devorg', 'apps', 'view')).toBe(true); // manage implies view
    expect(await authz.allowed(created.body.Id, 'devorg', 'appinsts', 'view')).toBe(false);
    expect(await authz.allowed(created.body.Id, 'otherorg', 'apps', 'view')).toBe(false);

    const me = await t.post('auth/user/current', {}, login.body.token);
    expect(me.body['Name']).toBe('dev1');
    const again = await t.post(
      'auth/user/create/apikey',
      { org: 'devorg', permissions: [{ resource: 'apps', action: 'view' }] },
      login.body.token,
    );
    expect(again).toMatchObject({
      status: 403,
      body: { message: 'ApiKey auth not allowed to create API keys, please log in with user account' },
    });
    expect((await t.post('auth/config/show', {}, login.body.token)).status).toBe(403);

    const shown = await t.post<Record<string, unknown>[]>('auth/user/show/apikey', {}, dev);
    expect(shown.body).toHaveLength(1);
    expect(shown.body[0]).toMatchObject({ Id: created.body.Id, Org: 'devorg', Description: 'ci' });
    expect(shown.body[0]).not.toHaveProperty('ApiKey');

    const del = await t.post('auth/user/delete/apikey', { id: created.body.Id }, dev);
    expect(del.body).toEqual({ message: 'deleted API Key successfully' });
    expect(await authz.allowed(created.body.Id, 'devorg', 'apps', 'view')).toBe(false);
  });

  it('limits keys per user to the Config limit', async () => {
    expect((await t.post('auth/config/update', { UserApiKeyCreateLimit: 1 }, admin)).status).toBe(200);
    const dev = await t.login('dev1', STRONG_PASSWORD);
    const req = { org: 'devorg', permissions: [{ resource: 'apps', action: 'view' }] };
    expect((await t.post('auth/user/create/apikey', req, dev)).status).toBe(200);
    const second = await t.post('auth/user/create/apikey', req, dev);
    expect(second.body['message']).toBe(
      'User cannot create more than 1 API keys, please delete existing keys to create new one',
    );
  });
});
