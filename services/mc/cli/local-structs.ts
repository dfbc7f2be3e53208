import { edgeproto } from '@edge/proto';
import { localStruct, protoStructs } from './struct-type';

/**
 * Request structs of the MC-local APIs (mc/ormapi): Go field names as JSON keys, except
 * where the original has json tags (lowercase) or embeds edgeproto keys (proto names).
 */
export function localStructs() {
  const proto = protoStructs();
  const cloudletKey = proto(edgeproto.CloudletKeySchema);
  const appInstKey = proto(edgeproto.AppInstKeySchema);
  const clusterInstKey = proto(edgeproto.ClusterInstKeySchema);

  const userFields = {
    Name: 'string',
    Email: 'string',
    EmailVerified: 'bool',
    Passhash: 'string',
    FamilyName: 'string',
    GivenName: 'string',
    Picture: 'string',
    Nickname: 'string',
    Locked: 'bool',
    EnableTOTP: 'bool',
    Metadata: 'string',
    FailedLogins: 'int',
  } as const;
  const user = localStruct('User', userFields);
  const createUser = localStruct('CreateUser', {
    ...userFields,
    verify: localStruct('EmailRequest', { email: 'string' }),
  });
  const showUser = localStruct('ShowUser', { ...userFields, org: 'string', role: 'string' });
  const login = localStruct('UserLogin', {
    username: 'string',
    password: 'string',
    totp: 'string',
    apikeyid: 'string',
    apikey: 'string',
  });
  const apiKey = localStruct('CreateUserApiKey', {
    Id: 'string',
    Description: 'string',
    Org: 'string',
    ApiKey: 'string',
    permissions: { list: localStruct('RolePerm', { role: 'string', resource: 'string', action: 'string' }) },
  });
  const role = localStruct('Role', { org: 'string', username: 'string', role: 'string' });
  const rolePerm = localStruct('RolePerm', { role: 'string', resource: 'string', action: 'string' });
  const org = localStruct('Organization', {
    Name: 'string',
    Type: 'string',
    Address: 'string',
    Phone: 'string',
    PublicImages: 'bool',
    DeleteInProgress: 'bool',
    Parent: 'string',
    EdgeboxOnly: 'bool',
  });
  const controller = localStruct('Controller', {
    Region: 'string',
    Address: 'string',
    NotifyAddr: 'string',
    InfluxDB: 'string',
    ThanosMetrics: 'string',
    DnsRegion: 'string',
  });
  const config = localStruct('Config', {
    LockNewAccounts: 'bool',
    NotifyEmailAddress: 'string',
    SkipVerifyEmail: 'bool',
    PasswordMinCrackTimeSec: 'float',
    AdminPasswordMinCrackTimeSec: 'float',
    MaxMetricsDataPoints: 'int',
    UserApiKeyCreateLimit: 'int',
    BillingEnable: 'bool',
    DisableRateLimit: 'bool',
    RateLimitMaxTrackedIps: 'int',
    RateLimitMaxTrackedUsers: 'int',
    FailedLoginLockoutThreshold1: 'int',
    FailedLoginLockoutTimeSec1: 'int',
    FailedLoginLockoutThreshold2: 'int',
    FailedLoginLockoutTimeSec2: 'int',
  });
  const alertReceiver = localStruct('AlertReceiver', {
    Name: 'string',
    Type: 'string',
    Severity: 'string',
    Region: 'string',
    User: 'string',
    Email: 'string',
    SlackChannel: 'string',
    SlackWebhook: 'string',
    PagerDutyIntegrationKey: 'string',
    PagerDutyApiVersion: 'string',
    Cloudlet: cloudletKey,
    AppInst: appInstKey,
  });
  const orgCloudletPool = localStruct('OrgCloudletPool', {
    Org: 'string',
    Region: 'string',
    CloudletPool: 'string',
    CloudletPoolOrg: 'string',
    Type: 'string',
    Decision: 'string',
  });
  const eventMatch = localStruct('EventMatch', {
    names: 'strings',
    orgs: 'strings',
    types: 'strings',
    regions: 'strings',
    error: 'string',
    tags: 'stringmap',
    failed: 'bool',
  });
  const timeRange = { starttime: 'string', endtime: 'string', startage: 'string', endage: 'string' } as const;
  const eventSearch = localStruct('EventSearch', {
    match: eventMatch,
    notmatch: eventMatch,
    ...timeRange,
    from: 'int',
    limit: 'int',
  });
  const metricsCommon = { ...timeRange, NumSamples: 'int', Limit: 'int' } as const;
  const appMetrics = localStruct('RegionAppInstMetrics', {
    Region: 'string',
    Selector: 'string',
    AppInst: appInstKey,
    AppInsts: { list: appInstKey },
    ...metricsCommon,
  });
  const clusterMetrics = localStruct('RegionClusterInstMetrics', {
    Region: 'string',
    Selector: 'string',
    ClusterInst: clusterInstKey,
    ClusterInsts: { list: clusterInstKey },
    ...metricsCommon,
  });
  const cloudletMetrics = localStruct('RegionCloudletMetrics', {
    Region: 'string',
    Selector: 'string',
    PlatformType: 'string',
    Cloudlet: cloudletKey,
    Cloudlets: { list: cloudletKey },
    ...metricsCommon,
  });

  return {
    cloudletKey,
    appInstKey,
    clusterInstKey,
    user,
    createUser,
    showUser,
    login,
    apiKey,
    role,
    rolePerm,
    org,
    controller,
    config,
    alertReceiver,
    orgCloudletPool,
    eventMatch,
    eventSearch,
    appMetrics,
    clusterMetrics,
    cloudletMetrics,
  };
}
