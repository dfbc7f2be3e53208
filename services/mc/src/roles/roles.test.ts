import { describeWithServers } from '@edge/testing';
import {
  assignRole,
  insertOrg,
  insertUser,
  startRbacTestServer,
  type RbacTestServer,
} from '../testing/rbac-fixtures';

describeWithServers('roles routes (real PostgreSQL)', () => {
  let s: RbacTestServer;
  beforeAll(async () => {
    s = await startRbacTestServer();
    for (const u of ['admin', 'alice', 'bob', 'carol', 'dave']) await insertUser(s.t.db, u);
    await insertUser(s.t.db, 'weak', { passCrackTimeSec: 0 });
    await insertUser(s.t.db, 'meh', { passCrackTimeSec: 1000 });
    await insertOrg(s.t.db, 'OrgA', 'developer');
    await insertOrg(s.t.db, 'OrgB', 'developer');
    await insertOrg(s.t.db, 'Oper', 'operator');
    await assignRole(s.t.db, '', 'admin', 'AdminManager');
    await assignRole(s.t.db, 'OrgA', 'alice', 'DeveloperManager');
    await assignRole(s.t.db, 'OrgB', 'bob', 'DeveloperManager');
    await assignRole(s.t.db, 'Oper', 'carol', 'OperatorManager');
  });
  afterAll(async () => {
    await s.close();
  });
  const add = (who: string, org: string, username: string, role: string) =>
    s.post(who, 'role/adduser', { org, username, role });
  const remove = (who: string, org: string, username: string, role: string) =>
    s.post(who, 'role/removeuser', { org, username, role });
  const rolesOf = (org: string) =>
    s.t.db.query(`SELECT subject, role FROM role_assignments WHERE org = $1 ORDER BY subject`, [org]);

  it('adds a user to an org the caller manages', async () => {
    expect(await add('alice', 'OrgA', 'Dave', 'DeveloperViewer')).toEqual({
      status: 200,
      body: { message: 'Role added to user' },
    });
    expect(await rolesOf('OrgA')).toEqual([
      { subject: 'alice', role: 'DeveloperManager' },
      { subject: 'dave', role: 'DeveloperViewer' },
    ]);
  });

  it('refuses cross-org changes with 403 and changes nothing', async () => {
    const before = await s.t.db.query(`SELECT * FROM role_assignments ORDER BY org, subject`);
    expect(await add('alice', 'OrgB', 'carol', 'DeveloperManager')).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
    expect(await remove('alice', 'OrgB', 'bob', 'DeveloperManager')).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
    // A viewer of the org may not manage its users either.
    expect((await add('dave', 'OrgA', 'carol', 'DeveloperViewer')).status).toBe(403);
    expect(await add('alice', '', 'alice', 'AdminManager')).toEqual({
      status: 400,
      body: { message: 'Organization not specified or no permissions' },
    });
    expect(await s.t.db.query(`SELECT * FROM role_assignments ORDER BY org, subject`)).toEqual(before);
  });

  it.each([
    ['OrgA', '', 'DeveloperViewer', 'Username not specified'],
    ['OrgA', 'carol', '', 'Role not specified'],
    ['carol', 'carol', 'DeveloperViewer', 'Org name cannot be same as existing user name'],
    [
      'OrgA',
      'carol',
      'AdminViewer',
      'Admin roles cannot be associated with an org, please specify the empty org ""',
    ],
    ['', 'carol', 'DeveloperViewer', 'Org name must be specified for the specified role'],
    ['OrgA', 'nobody', 'DeveloperViewer', 'Username not found'],
    ['OrgA', 'carol', 'Boss', 'Role not found'],
    ['NoOrg', 'carol', 'DeveloperViewer', 'Organization not found'],
    ['OrgA', 'carol', 'OperatorViewer', 'Can only assign developer roles for developer organization'],
    ['Oper', 'alice', 'DeveloperViewer', 'Can only assign operator roles for operator organization'],
    [
      'OrgA',
      'dave',
      'DeveloperManager',
      'User already has a role DeveloperViewer for org OrgA, please remove existing role first',
    ],
    [
      '',
      'weak',
      'AdminViewer',
      'Target user password strength not verified, please have user log in to verify password strength',
    ],
    [
      '',
      'meh',
      'AdminViewer',
      'Password too weak, requires crack time 2.0 years but is 18.0 minutes. Please increase length or complexity',
    ],
  ])('adduser org=%j user=%j role=%j: %s', async (org, username, role, message) => {
    expect(await add('admin', org, username, role)).toEqual({ status: 400, body: { message } });
  });

  it('lets admins grant admin roles in the empty org', async () => {
    expect((await add('admin', '', 'carol', 'AdminViewer')).status).toBe(200);
    expect(await s.authz.isAdmin('carol')).toBe(true);
    expect((await remove('admin', '', 'carol', 'AdminViewer')).status).toBe(200);
  });

  it('keeps the last manager of an org', async () => {
    expect(await remove('alice', 'OrgA', 'alice', 'DeveloperManager')).toEqual({
      status: 400,
      body: { message: 'Error: Cannot remove the last remaining manager of an org' },
    });
    expect((await add('alice', 'OrgA', 'carol', 'DeveloperManager')).status).toBe(200);
    expect(await remove('alice', 'OrgA', 'alice', 'DeveloperManager')).toEqual({
      status: 200,
      body: { message: 'Role removed from user' },
    });
    // Removing a role nobody holds succeeds quietly.
    expect((await remove('alice', 'OrgA', 'alice', 'DeveloperManager')).status).toBe(200);
    expect(await rolesOf('OrgA')).toEqual([
      { subject: 'carol', role: 'DeveloperManager' },
      { subject: 'dave', role: 'DeveloperViewer' },
    ]);
  });

  it('shows role names and permissions, admin roles to admins only', async () => {
    const names = (await s.post('bob', 'role/show')).body as string[];
    expect(names).toEqual([
      'BillingManager',
      'DeveloperContributor',
      'DeveloperManager',
      'DeveloperViewer',
      'OperatorContributor',
      'OperatorManager',
      'OperatorViewer',
    ]);
    expect((await s.post('admin', 'role/show')).body).toEqual(
      ['AdminContributor', 'AdminManager', 'AdminViewer', ...names].sort(),
    );
    expect(
      (await s.post('bob', 'role/perms/show', { role: 'DeveloperViewer', resource: 'apps' })).body,
    ).toEqual([{ role: 'DeveloperViewer', resource: 'apps', action: 'view' }]);
    expect((await s.post('bob', 'role/perms/show', { role: 'AdminManager' })).body).toEqual([]);
    expect(
      ((await s.post('admin', 'role/perms/show', { role: 'AdminManager' })).body as unknown[]).length,
    ).toBe(36);
  });

  it('shows own assignments; admins see everyone’s', async () => {
    expect((await s.post('bob', 'role/assignment/show')).body).toEqual([
      { org: 'OrgB', username: 'bob', role: 'DeveloperManager' },
    ]);
    const all = (await s.post('admin', 'role/assignment/show', { role: 'DeveloperManager' })).body;
    expect(all).toEqual([
      { org: 'OrgA', username: 'carol', role: 'DeveloperManager' },
      { org: 'OrgB', username: 'bob', role: 'DeveloperManager' },
    ]);
  });

  it('shows the roles of orgs whose users the caller may view', async () => {
    await assignRole(s.t.db, 'OrgB', 'k9', 'k9-role');
    expect((await s.post('bob', 'role/showuser')).body).toEqual([
      { org: 'OrgB', username: 'bob', role: 'DeveloperManager' },
    ]);
    expect((await s.post('dave', 'role/showuser', { username: 'carol' })).body).toEqual([
      { org: 'OrgA', username: 'carol', role: 'DeveloperManager' },
    ]);
    expect((await s.post('alice', 'role/showuser')).status).toBe(403);
    const admin = (await s.post('admin', 'role/showuser')).body as { org: string }[];
    expect(admin.map((r) => r.org)).toEqual(['', 'Oper', 'OrgA', 'OrgA', 'OrgB']);
  });
});
