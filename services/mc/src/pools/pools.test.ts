import { describeWithServers } from '@edge/testing';
import {
  assignRole,
  insertOrg,
  insertRegion,
  insertUser,
  startRbacTestServer,
  type RbacTestServer,
} from '../testing/rbac-fixtures';
import { grantedPools } from './granted-pools';

describeWithServers('cloudlet-pool access routes (real PostgreSQL)', () => {
  let s: RbacTestServer;
  const pools = new Set(['US/Oper/pool1', 'US/Oper/pool2']);
  beforeAll(async () => {
    s = await startRbacTestServer({
      poolExists: (region, org, pool) => Promise.resolve(pools.has(`${region}/${org}/${pool}`)),
    });
    for (const u of ['admin', 'oper', 'dev', 'other']) await insertUser(s.t.db, u);
    await insertOrg(s.t.db, 'Oper', 'operator');
    await insertOrg(s.t.db, 'Dev', 'developer');
    await insertOrg(s.t.db, 'Other', 'developer');
    await insertRegion(s.t.db, 'US');
    await assignRole(s.t.db, '', 'admin', 'AdminManager');
    await assignRole(s.t.db, 'Oper', 'oper', 'OperatorManager');
    await assignRole(s.t.db, 'Dev', 'dev', 'DeveloperManager');
    await assignRole(s.t.db, 'Other', 'other', 'DeveloperManager');
  });
  afterAll(async () => {
    await s.close();
  });
  const key = (pool = 'pool1', org = 'Dev') => ({
    org,
    region: 'US',
    cloudletpool: pool,
    cloudletpoolorg: 'Oper',
  });
  const row = (pool = 'pool1', org = 'Dev') => ({
    Org: org,
    Region: 'US',
    CloudletPool: pool,
    CloudletPoolOrg: 'Oper',
  });

  it('invitation → response → granted', async () => {
    expect(await s.post('oper', 'cloudletpoolaccessinvitation/create', key())).toEqual({
      status: 200,
      body: { message: 'invitation created' },
    });
    expect((await s.post('dev', 'cloudletpoolaccesspending/show')).body).toEqual([row()]);
    expect((await s.post('dev', 'cloudletpoolaccessgranted/show')).body).toEqual([]);
    expect(
      await s.post('dev', 'cloudletpoolaccessresponse/create', { ...key(), decision: 'accept' }),
    ).toEqual({
      status: 200,
      body: { message: 'response created' },
    });
    for (const who of ['dev', 'oper', 'admin'])
      expect((await s.post(who, 'cloudletpoolaccessgranted/show')).body).toEqual([row()]);
    expect((await s.post('dev', 'cloudletpoolaccesspending/show')).body).toEqual([]);
    expect((await s.post('other', 'cloudletpoolaccessgranted/show')).body).toEqual([]);
    expect((await s.post('oper', 'cloudletpoolaccessresponse/show')).body).toEqual([
      { ...row(), Decision: 'accept' },
    ]);
    expect((await s.post('oper', 'cloudletpoolaccessinvitation/show')).body).toEqual([row()]);
    expect(await grantedPools(s.t.db, 'US', 'Dev')).toEqual([{ org: 'Dev', pool: 'pool1', poolOrg: 'Oper' }]);
    expect(await grantedPools(s.t.db, 'EU', 'Dev')).toEqual([]);
  });

  it('a rejection grants nothing', async () => {
    await s.post('oper', 'cloudletpoolaccessinvitation/create', key('pool2'));
    expect(
      (await s.post('dev', 'cloudletpoolaccessresponse/create', { ...key('pool2'), decision: 'reject' }))
        .status,
    ).toBe(200);
    expect((await s.post('dev', 'cloudletpoolaccessgranted/show')).body).toEqual([row()]);
    expect(await grantedPools(s.t.db, 'US', 'Dev')).toEqual([{ org: 'Dev', pool: 'pool1', poolOrg: 'Oper' }]);
  });

  it('checks permissions: operators invite, developers respond', async () => {
    expect(await s.post('dev', 'cloudletpoolaccessinvitation/create', key('pool1', 'Other'))).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
    expect(
      await s.post('other', 'cloudletpoolaccessresponse/create', { ...key(), decision: 'accept' }),
    ).toEqual({
      status: 403,
      body: { message: 'Forbidden' },
    });
    expect((await s.post('oper', 'cloudletpoolaccessresponse/delete', key())).status).toBe(403);
  });

  it.each([
    ['cloudletpoolaccessinvitation/create', { ...key(), org: '' }, 'Organization name not specified'],
    ['cloudletpoolaccessinvitation/create', { ...key(), region: '' }, 'Region not specified'],
    [
      'cloudletpoolaccessinvitation/create',
      { ...key(), cloudletpool: '' },
      'CloudletPool name not specified',
    ],
    [
      'cloudletpoolaccessinvitation/create',
      { ...key(), cloudletpoolorg: '' },
      'CloudletPool organization not specified',
    ],
    [
      'cloudletpoolaccessinvitation/create',
      key('pool1', 'Oper'),
      'Specified organization is not a developer organization',
    ],
    [
      'cloudletpoolaccessinvitation/create',
      key('pool1', 'Nope'),
      'Specified developer organization not found',
    ],
    [
      'cloudletpoolaccessinvitation/create',
      key('pool9'),
      'Specified CloudletPool pool9 org Oper for region US not found',
    ],
    [
      'cloudletpoolaccessinvitation/create',
      key(),
      'CloudletPool invitation for org Dev, region US, pool pool1 poolorg Oper already exists',
    ],
    ['cloudletpoolaccessinvitation/delete', key('pool1', 'Other'), 'Invitation not found'],
    [
      'cloudletpoolaccessresponse/create',
      { ...key(), decision: 'maybe' },
      'Decision must be either accept or reject',
    ],
  ])('%s %j: %s', async (path, body, message) => {
    expect(await s.post('admin', path, body)).toEqual({ status: 400, body: { message } });
  });

  it('refuses a response without invitation, and an unregistered region', async () => {
    expect(
      await s.post('other', 'cloudletpoolaccessresponse/create', {
        ...key('pool1', 'Other'),
        decision: 'accept',
      }),
    ).toEqual({ status: 400, body: { message: 'No invitation for specified cloudlet pool access' } });
    pools.add('EU/Oper/pool1');
    expect(await s.post('oper', 'cloudletpoolaccessinvitation/create', { ...key(), region: 'EU' })).toEqual({
      status: 400,
      body: { message: 'Specified Region EU does not exist' },
    });
  });

  it('deleting the invitation also deletes the response', async () => {
    expect(await s.post('oper', 'cloudletpoolaccessinvitation/delete', key())).toEqual({
      status: 200,
      body: { message: 'invitation deleted' },
    });
    expect((await s.post('dev', 'cloudletpoolaccessresponse/show', { cloudletpool: 'pool1' })).body).toEqual(
      [],
    );
    expect(await grantedPools(s.t.db, 'US', 'Dev')).toEqual([]);
  });

  it('refuses shows to callers with no org', async () => {
    expect((await s.post('nobody', 'cloudletpoolaccessgranted/show')).status).toBe(403);
  });
});
