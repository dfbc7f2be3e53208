import { describeWithServers } from '@edge/testing';
import {
  assignRole,
  insertRegion,
  insertUser,
  startRbacTestServer,
  type RbacTestServer,
} from '../testing/rbac-fixtures';

describeWithServers('orgs routes (real PostgreSQL)', () => {
  let s: RbacTestServer;
  let inUse: string | undefined;
  beforeAll(async () => {
    s = await startRbacTestServer({ orgInUse: () => Promise.resolve(inUse) });
    for (const u of ['admin', 'alice', 'bob', 'carol']) await insertUser(s.t.db, u);
    await assignRole(s.t.db, '', 'admin', 'AdminManager');
  });
  afterAll(async () => {
    await s.close();
  });
  const roles = async (org: string) =>
    s.t.db.query(`SELECT subject, role FROM role_assignments WHERE org = $1 ORDER BY subject`, [org]);

  it('creates orgs and makes the creator their manager', async () => {
    expect(
      await s.post('alice', 'org/create', { name: 'AliceDev', type: 'developer', address: 'x' }),
    ).toEqual({
      status: 200,
      body: { message: 'Organization created' },
    });
    expect(await roles('AliceDev')).toEqual([{ subject: 'alice', role: 'DeveloperManager' }]);
    expect((await s.post('bob', 'org/create', { Name: 'BobOper', Type: 'operator' })).status).toBe(200);
    expect(await roles('BobOper')).toEqual([{ subject: 'bob', role: 'OperatorManager' }]);
    const oper = await s.t.db.one<{ edgebox_only: boolean }>(
      `SELECT edgebox_only FROM organizations WHERE name = 'BobOper'`,
    );
    expect(oper?.edgebox_only).toBe(true);
  });

  it.each([
    [{ name: '', type: 'developer' }, 'Name not specified'],
    [{ name: 'a b', type: 'developer' }, 'Name can only contain letters, digits, _ . -'],
    [{ name: '-x', type: 'developer' }, "Name cannot start with '-'"],
    [{ name: 'x.git', type: 'developer' }, "Name cannot end with '.git'"],
    [{ name: 'x'.repeat(60), type: 'developer' }, 'Name too long'],
    [{ name: 'Org1', type: 'admin' }, 'Organization type must be developer, or operator'],
    [{ name: 'Carol', type: 'developer' }, 'Org name cannot be same as existing user name'],
    [
      { name: 'alicedev', type: 'developer' },
      'Organization with name alicedev (case-insensitive) already exists',
    ],
    [{ name: 'mobiledgex', type: 'developer' }, 'Not authorized to create reserved org mobiledgex'],
    [{ name: 'EdgeBox', type: 'operator' }, 'Not authorized to create reserved org EdgeBox'],
  ])('refuses %j: %s', async (body, message) => {
    expect(await s.post('carol', 'org/create', body)).toEqual({ status: 400, body: { message } });
  });

  it('lets admins create reserved orgs', async () => {
    expect((await s.post('admin', 'org/create', { name: 'EdgeBox', type: 'operator' })).status).toBe(200);
  });

  it('shows the orgs the caller belongs to; admins all', async () => {
    const names = async (who: string, body = {}) =>
      ((await s.post(who, 'org/show', body)).body as { Name: string }[]).map((o) => o.Name);
    expect(await names('alice')).toEqual(['AliceDev']);
    expect(await names('carol')).toEqual([]);
    expect(await names('admin')).toEqual(['AliceDev', 'BobOper', 'EdgeBox']);
    expect(await names('admin', { type: 'operator' })).toEqual(['BobOper', 'EdgeBox']);
    const org = ((await s.post('bob', 'org/show')).body as Record<string, unknown>[])[0];
    expect(org).toMatchObject({ Name: 'BobOper', Type: 'operator', EdgeboxOnly: true });
    expect(Object.keys(org ?? {}).sort()).toEqual(['CreatedAt', 'EdgeboxOnly', 'Name', 'Type', 'UpdatedAt']);
  });

  it('updates orgs: managers their fields, admins the restricted ones', async () => {
    expect(
      (await s.post('alice', 'org/update', { name: 'AliceDev', phone: '123', publicimages: true })).status,
    ).toBe(200);
    expect((await s.post('alice', 'org/show')).body).toEqual([
      expect.objectContaining({ Name: 'AliceDev', Address: 'x', Phone: '123', PublicImages: true }),
    ]);
    expect(await s.post('bob', 'org/update', { name: 'AliceDev', phone: '1' })).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
    expect((await s.post('bob', 'org/update', { name: 'BobOper', type: 'developer' })).body).toEqual({
      message: 'Cannot change Organization type',
    });
    expect((await s.post('bob', 'org/update', { name: 'BobOper', edgeboxonly: false })).body).toEqual({
      message: 'Cannot update edgeboxonly field for Organization',
    });
    expect(
      (await s.post('bob', 'restricted/org/update', { name: 'BobOper', edgeboxonly: false })).status,
    ).toBe(403);
    expect(
      (await s.post('admin', 'restricted/org/update', { name: 'BobOper', edgeboxonly: false })).status,
    ).toBe(200);
    expect((await s.post('bob', 'org/show')).body).toEqual([
      expect.not.objectContaining({ EdgeboxOnly: true }),
    ]);
    expect((await s.post('bob', 'org/update', { name: 'Nope' })).body).toEqual({
      message: 'Organization not found',
    });
  });

  it('deletes orgs unless in use or referenced by pool access', async () => {
    expect(await s.post('bob', 'org/delete', { name: 'AliceDev' })).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
    inUse = 'region US: org in use by App x';
    expect(await s.post('alice', 'org/delete', { name: 'AliceDev' })).toEqual({
      status: 400,
      body: { message: 'Organization AliceDev in use or check failed: region US: org in use by App x' },
    });
    inUse = undefined;
    const dip = await s.t.db.one<{ d: boolean }>(
      `SELECT delete_in_progress AS d FROM organizations WHERE name = 'AliceDev'`,
    );
    expect(dip?.d).toBe(false);

    await insertRegion(s.t.db, 'US');
    await s.t.db.query(
      `INSERT INTO org_cloudlet_pools (org, region, cloudlet_pool, cloudlet_pool_org, type) VALUES ('AliceDev', 'US', 'p', 'BobOper', 'invitation')`,
    );
    for (const [who, org] of [
      ['alice', 'AliceDev'],
      ['bob', 'BobOper'],
    ] as const)
      expect(await s.post(who, 'org/delete', { name: org })).toEqual({
        status: 400,
        body: {
          message:
            'Cannot delete organization because it is referenced by some cloudletpool invitation or response',
        },
      });
    await s.t.db.query(`DELETE FROM org_cloudlet_pools`);

    expect(await s.post('alice', 'org/delete', { name: 'AliceDev' })).toEqual({
      status: 200,
      body: { message: 'Organization deleted' },
    });
    expect(await roles('AliceDev')).toEqual([]);
    expect((await s.post('admin', 'org/show', { name: 'AliceDev' })).body).toEqual([]);
    expect((await s.post('admin', 'org/delete', { name: 'AliceDev' })).body).toEqual({
      message: 'Org AliceDev not found',
    });
    expect((await s.post('admin', 'org/delete', {})).body).toEqual({
      message: 'Organization name not specified',
    });
  });

  it('API-key callers create orgs managed by the key', async () => {
    expect((await s.post('key:k1', 'org/create', { name: 'KeyOrg', type: 'developer' })).status).toBe(200);
    expect(await roles('KeyOrg')).toEqual([{ subject: 'k1', role: 'DeveloperManager' }]);
  });
});
