import { describeWithServers } from '@edge/testing';
import { STRONG_PASSWORD, createVerifiedUser } from '../testing/accounts-fixtures';
import { TEST_ADMIN, startTestMc, type TestMc } from '../testing/test-mc';

describeWithServers('orgs and roles through the whole MC (login, tokens)', () => {
  let t: TestMc;
  const tok: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestMc();
    tok['admin'] = await t.login(TEST_ADMIN.username, TEST_ADMIN.password);
    await t.post('auth/config/update', { DisableRateLimit: true }, tok['admin']);
    for (const u of ['anna', 'ben', 'cleo']) {
      await createVerifiedUser(t, u);
      tok[u] = await t.login(u, STRONG_PASSWORD);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('org managers manage their own org only', async () => {
    expect(
      (await t.post('auth/org/create', { name: 'AnnaOrg', type: 'developer' }, tok['anna'])).status,
    ).toBe(200);
    expect((await t.post('auth/org/create', { name: 'BenOrg', type: 'developer' }, tok['ben'])).status).toBe(
      200,
    );
    expect(
      (
        await t.post(
          'auth/role/adduser',
          { org: 'AnnaOrg', username: 'cleo', role: 'DeveloperViewer' },
          tok['anna'],
        )
      ).body,
    ).toEqual({ message: 'Role added to user' });
    const cross = await t.post(
      'auth/role/adduser',
      { org: 'BenOrg', username: 'cleo', role: 'DeveloperViewer' },
      tok['anna'],
    );
    expect(cross).toMatchObject({ status: 403, body: { message: 'Forbidden' } });
    expect((await t.post('auth/role/showuser', { org: 'BenOrg' }, tok['admin'])).body).toEqual([
      { org: 'BenOrg', username: 'ben', role: 'DeveloperManager' },
    ]);
    expect(
      ((await t.post('auth/org/show', {}, tok['cleo'])).body as unknown as { Name: string }[]).map(
        (o) => o.Name,
      ),
    ).toEqual(['AnnaOrg']);
    expect((await t.post('auth/role/assignment/show', {}, tok['cleo'])).body).toEqual([
      { org: 'AnnaOrg', username: 'cleo', role: 'DeveloperViewer' },
    ]);
    // The superuser is an AdminManager and sees every org.
    const all = (await t.post('auth/org/show', {}, tok['admin'])).body as unknown as { Name: string }[];
    expect(all.map((o) => o.Name)).toEqual(['AnnaOrg', 'BenOrg']);
  });
});
