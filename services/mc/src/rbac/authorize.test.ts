import { describeWithServers, rejection } from '@edge/testing';
import { assignRole, createRbacTestDb, insertOrg, testCaller } from '../testing/rbac-fixtures';
import type { TestDb } from '../testing/test-db';
import { authorize } from './authorize';
import { SqlAuthorizer } from './sql-authorizer';

describeWithServers('authorize (real PostgreSQL)', () => {
  let t: TestDb;
  let authz: SqlAuthorizer;
  const admin = testCaller('admin1');
  const dev = testCaller('dev1');
  const oper = testCaller('oper1');
  beforeAll(async () => {
    t = await createRbacTestDb();
    authz = new SqlAuthorizer(t.db);
    await insertOrg(t.db, 'DevOrg', 'developer');
    await insertOrg(t.db, 'OperOrg', 'operator', { edgeboxOnly: true });
    await insertOrg(t.db, 'Dying', 'developer', { deleteInProgress: true });
    await assignRole(t.db, '', 'admin1', 'AdminManager');
    await assignRole(t.db, 'DevOrg', 'dev1', 'DeveloperManager');
    await assignRole(t.db, 'Dying', 'dev1', 'DeveloperManager');
    await assignRole(t.db, 'OperOrg', 'oper1', 'OperatorManager');
    // A role in an org that does not exist (left over), to reach the existence check.
    await assignRole(t.db, 'Ghost', 'dev1', 'DeveloperManager');
  });
  afterAll(async () => {
    await t.drop();
  });

  const msg = async (p: Promise<unknown>) => {
    const e = (await rejection(p)) as { message: string; code: number };
    return e.message;
  };

  it('allows and forbids by the matrix', async () => {
    await authorize(authz, dev, 'DevOrg', 'apps', 'manage');
    expect(await msg(authorize(authz, dev, 'OperOrg', 'apps', 'manage'))).toBe('Forbidden');
    expect(await msg(authorize(authz, dev, '', 'flavors', 'manage'))).toBe('Forbidden');
    await authorize(authz, admin, '', 'flavors', 'manage');
  });

  it('requiresOrg: type, delete in progress, existence', async () => {
    await authorize(authz, dev, 'DevOrg', 'apps', 'manage', { requiresOrg: true });
    expect(await msg(authorize(authz, admin, 'OperOrg', 'apps', 'manage', { requiresOrg: true }))).toBe(
      'Operation for org OperOrg only allowed for orgs of type developer',
    );
    expect(await msg(authorize(authz, admin, 'DevOrg', 'cloudlets', 'manage', { requiresOrg: true }))).toBe(
      'Operation for org DevOrg only allowed for orgs of type operator',
    );
    expect(await msg(authorize(authz, dev, 'Dying', 'apps', 'manage', { requiresOrg: true }))).toBe(
      'Operation not allowed for org Dying with delete in progress',
    );
    // Non-admins learn nothing about unknown orgs; admins get the reason.
    expect(await msg(authorize(authz, dev, 'Ghost', 'apps', 'manage', { requiresOrg: true }))).toBe(
      'Forbidden',
    );
    expect(await msg(authorize(authz, admin, 'Ghost', 'apps', 'manage', { requiresOrg: true }))).toBe(
      'org Ghost not found',
    );
    // users is of no org type.
    await authorize(authz, oper, 'OperOrg', 'users', 'manage', { requiresOrg: 'OperOrg' });
  });

  it('noEdgeboxOnly and reference orgs', async () => {
    expect(
      await msg(
        authorize(authz, oper, 'OperOrg', 'cloudlets', 'manage', { requiresOrg: true, noEdgeboxOnly: true }),
      ),
    ).toBe('Only allowed to create EDGEBOX cloudlet on org OperOrg');
    await authorize(authz, oper, 'OperOrg', 'cloudlets', 'manage', { requiresOrg: true });
    expect(
      await msg(
        authorize(authz, dev, 'DevOrg', 'apps', 'manage', {
          referenceOrgs: [{ org: 'DevOrg', desc: 'cloudlet', type: 'operator' }],
        }),
      ),
    ).toBe('Operation for cloudlet org DevOrg only allowed for orgs of type operator');
    expect(
      await msg(
        authorize(authz, dev, 'DevOrg', 'apps', 'manage', {
          referenceOrgs: [{ org: 'Nope', desc: 'cloudlet' }],
        }),
      ),
    ).toBe('cloudlet org Nope not found');
  });
});
