import { describeWithServers } from '@edge/testing';
import { assignRole, createRbacTestDb } from '../testing/rbac-fixtures';
import type { TestDb } from '../testing/test-db';
import { ALL_RESOURCES, ALL_ROLES, ensureRolePerms } from './matrix';
import { SqlAuthorizer } from './sql-authorizer';

// §2.3 of the reference, written out independently of matrix.ts:
// resource → grants for AdminMgr AdminContr AdminViewer DevMgr DevContr DevViewer OperMgr OperContr OperViewer BillingMgr.
const EXPECTED: Record<string, string[]> = {
  apps: ['M', 'M', 'V', 'M', 'M', 'V', '-', '-', '-', '-'],
  appinsts: ['M', 'M', 'V', 'M', 'M', 'V', '-', '-', '-', '-'],
  clusters: ['M', 'M', 'V', 'M', 'M', 'V', '-', '-', '-', '-'],
  clusterinsts: ['M', 'M', 'V', 'M', 'M', 'V', '-', '-', '-', '-'],
  appanalytics: ['M', 'M', 'V', 'M', 'M', 'V', '-', '-', '-', '-'],
  clusteranalytics: ['M', 'M', 'V', 'M', 'M', 'V', '-', '-', '-', '-'],
  developerpolicy: ['M', 'M', 'V', 'M', 'M', 'V', '-', '-', '-', '-'],
  alert: ['M', 'M', 'V', 'M', 'M', 'V', 'M', 'M', 'V', '-'],
  cloudlets: ['M', 'M', 'V', 'V', 'V', 'V', 'M', 'M', 'V', '-'],
  cloudletanalytics: ['M', 'M', 'V', '-', '-', '-', 'M', 'M', 'V', '-'],
  restagtbl: ['M', 'M', 'V', '-', '-', '-', 'M', 'M', 'V', '-'],
  cloudletpools: ['M', 'M', 'V', '-', '-', '-', 'M', 'M', 'V', '-'],
  flavors: ['M', '-', '-', 'V', 'V', 'V', '-', '-', '-', '-'],
  clusterflavors: ['M', '-', '-', 'V', 'V', 'V', '-', '-', '-', '-'],
  users: ['M', 'V', 'V', 'M', 'V', 'V', 'M', 'V', 'V', 'M'],
  billing: ['M', 'V', '-', 'M', '-', '-', '-', '-', '-', 'M'],
  controllers: ['M', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
  config: ['M', '-', '-', '-', '-', '-', '-', '-', '-', '-'],
};
const ROLES = [
  'AdminManager',
  'AdminContributor',
  'AdminViewer',
  'DeveloperManager',
  'DeveloperContributor',
  'DeveloperViewer',
  'OperatorManager',
  'OperatorContributor',
  'OperatorViewer',
  'BillingManager',
];

const cases = ROLES.flatMap((role, col) =>
  Object.entries(EXPECTED).flatMap(([resource, grants]) =>
    (['view', 'manage'] as const).map((action) => {
      const g = grants[col];
      const expected = g === 'M' || (g === 'V' && action === 'view');
      return { role, resource, action, expected };
    }),
  ),
);

describeWithServers('SqlAuthorizer (real PostgreSQL)', () => {
  let t: TestDb;
  let authz: SqlAuthorizer;
  beforeAll(async () => {
    t = await createRbacTestDb();
    authz = new SqlAuthorizer(t.db);
    for (const role of ROLES) {
      const admin = role.startsWith('Admin');
      await assignRole(t.db, admin ? '' : 'OrgA', `U-${role}`, role);
    }
  });
  afterAll(async () => {
    await t.drop();
  });

  it('knows exactly the roles and resources of the reference', () => {
    expect([...ALL_ROLES].sort()).toEqual([...ROLES].sort());
    expect([...ALL_RESOURCES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases)('$role $action $resource → $expected', async ({ role, resource, action, expected }) => {
    const admin = role.startsWith('Admin');
    // Subjects match case-insensitively.
    const subject = `u-${role}`.toUpperCase();
    // Org roles hold in their own org only; global roles in every org and in ''.
    expect(await authz.allowed(subject, 'OrgA', resource, action)).toBe(expected);
    expect(await authz.allowed(subject, 'OrgB', resource, action)).toBe(admin && expected);
    expect(await authz.allowed(subject, '', resource, action)).toBe(admin && expected);
    const orgs = await authz.orgsAllowed(subject, resource, action);
    if (!expected) expect(orgs).toEqual(new Set());
    else expect(orgs).toEqual(admin ? 'all' : new Set(['OrgA']));
  });

  it('matches org names exactly', async () => {
    expect(await authz.allowed('U-DeveloperManager', 'orga', 'apps', 'manage')).toBe(false);
  });

  it('knows admins', async () => {
    expect(await authz.isAdmin('u-adminviewer')).toBe(true);
    expect(await authz.isAdmin('U-DeveloperManager')).toBe(false);
    expect(await authz.isAdmin('nobody')).toBe(false);
  });

  it('refreshes the matrix idempotently, dropping stale rows of built-in roles only', async () => {
    await t.db.query(
      `INSERT INTO role_perms VALUES ('DeveloperViewer', 'config', 'manage'), ('k1-role', 'apps', 'view')`,
    );
    const before = await t.db.query(`SELECT count(*)::int AS n FROM role_perms`);
    await ensureRolePerms(t.db);
    await ensureRolePerms(t.db);
    const after = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM role_perms`);
    expect(after[0]?.n).toBe((before[0] as { n: number }).n - 1);
    expect(await authz.allowed('U-DeveloperViewer', 'OrgA', 'config', 'manage')).toBe(false);
  });
});
