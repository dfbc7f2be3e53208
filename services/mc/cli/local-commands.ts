import type { CommandDef, ReplyKind } from './command';
import { localStructs } from './local-structs';
import { localStruct, type StructType } from './struct-type';

// MC-local APIs (mc/mcctl/ormctl/*.go): argument names and the MC's JSON field names (Go names).

const words = (s: string): string[] => s.split(' ').filter((w) => w !== '');

interface LocalOpts {
  readonly short: string;
  readonly struct?: StructType;
  readonly required?: string;
  readonly optional?: string;
  readonly aliases?: Readonly<Record<string, string>>;
  readonly reply?: ReplyKind;
  readonly altUses?: readonly string[];
  readonly password?: CommandDef['password'];
  readonly noAuth?: boolean;
  readonly special?: 'login';
}

function cmd(group: string | undefined, use: string, path: string, o: LocalOpts): CommandDef {
  return {
    group,
    use,
    short: o.short,
    path,
    args: o.struct
      ? { root: o.struct, required: words(o.required ?? ''), aliases: o.aliases ?? {} }
      : undefined,
    optional: words(o.optional ?? ''),
    stream: 'none',
    reply: o.reply ?? (o.struct ? 'result' : 'data'),
    ...(o.altUses ? { altUses: o.altUses } : {}),
    ...(o.password ? { password: o.password } : {}),
    ...(o.noAuth ? { noAuth: true } : {}),
    ...(o.special ? { special: o.special } : {}),
  };
}

/** Builds the MC-local command table. */
export function localCommands(): CommandDef[] {
  const {
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
    eventSearch,
    appMetrics,
    clusterMetrics,
    cloudletMetrics,
  } = localStructs();
  const userAliases = { password: 'passhash', orgname: 'org' };
  const apiKeyAliases = { apikeyid: 'id' };
  const appInstAliases = (p: string): Record<string, string> => ({
    apporg: `${p}.appkey.organization`,
    appname: `${p}.appkey.name`,
    appvers: `${p}.appkey.version`,
    cluster: `${p}.clusterinstkey.clusterkey.name`,
    clusterorg: `${p}.clusterinstkey.organization`,
    cloudletorg: `${p}.clusterinstkey.cloudletkey.organization`,
    cloudlet: `${p}.clusterinstkey.cloudletkey.name`,
  });
  const eventAliases: Record<string, string> = {};
  for (const [arg, field] of Object.entries({
    name: 'names',
    org: 'orgs',
    type: 'types',
    region: 'regions',
    error: 'error',
    tags: 'tags',
    failed: 'failed',
  })) {
    eventAliases[arg] = `match.${field}`;
    eventAliases[`not${arg}`] = `notmatch.${field}`;
  }
  const eventArgs =
    'name org type region error tags failed notname notorg nottype notregion noterror nottags notfailed starttime endtime startage endage from limit';
  const metricsArgs = 'limit numsamples starttime endtime startage endage';
  const poolArgs = 'org region cloudletpool cloudletpoolorg';
  const short = (s: string): { short: string } => ({ short: s });

  return [
    cmd(undefined, 'login', '/login', {
      short: 'Login using account credentials',
      struct: login,
      optional: 'name password totp apikeyid apikey',
      aliases: { name: 'username' },
      noAuth: true,
      special: 'login',
      password: { arg: 'password', verify: false },
    }),
    // user
    cmd('user', 'create', '/usercreate', {
      short: 'Create a new user',
      struct: createUser,
      required: 'name email',
      optional: 'nickname familyname givenname enabletotp metadata',
      aliases: userAliases,
      reply: 'userresponse',
      noAuth: true,
      password: { arg: 'password', verify: true },
    }),
    cmd('user', 'delete', '/auth/user/delete', {
      ...short('Delete an existing user'),
      struct: user,
      required: 'name',
    }),
    cmd('user', 'update', '/auth/user/update', {
      short: 'Update a user',
      struct: createUser,
      optional: 'email nickname familyname givenname enabletotp metadata',
      aliases: userAliases,
      reply: 'userresponse',
    }),
    cmd('user', 'show', '/auth/user/show', {
      short: 'Show users',
      struct: showUser,
      optional: 'name email emailverified familyname givenname nickname locked enabletotp orgname role',
      aliases: userAliases,
      reply: 'data',
    }),
    cmd('user', 'current', '/auth/user/current', short('Show the currently logged in user')),
    cmd('user', 'newpass', '/auth/user/newpass', {
      short: 'Set a new password while logged in, requires the existing password',
      struct: localStruct('NewPassword', { currentpassword: 'string', password: 'string' }),
      password: { arg: 'password', current: 'currentpassword', verify: true },
    }),
    cmd('user', 'resendverify', '/resendverify', {
      short: 'Request that the user verification email be resent',
      struct: localStruct('EmailRequest', { email: 'string' }),
      required: 'email',
      noAuth: true,
    }),
    cmd('user', 'verifyemail', '/verifyemail', {
      short: "Verify a user's email account from the token in the email",
      struct: localStruct('Token', { token: 'string' }),
      required: 'token',
      noAuth: true,
    }),
    cmd('user', 'passwordresetrequest', '/passwordresetrequest', {
      short: "Request a password reset email to be sent to the user's email",
      struct: localStruct('EmailRequest', { email: 'string' }),
      required: 'email',
      noAuth: true,
    }),
    cmd('user', 'passwordreset', '/passwordreset', {
      short: 'Reset the password using the token from the password reset email',
      struct: localStruct('PasswordReset', { token: 'string', password: 'string' }),
      required: 'token',
      noAuth: true,
      password: { arg: 'password', verify: true },
    }),
    cmd('user', 'createuserapikey', '/auth/user/create/apikey', {
      short: 'Create an API key for reduced access, typically for automation',
      struct: apiKey,
      required: 'org description',
      optional: 'permissions:#.action permissions:#.resource',
      aliases: apiKeyAliases,
      altUses: ['createapikey'],
      reply: 'data',
    }),
    cmd('user', 'deleteuserapikey', '/auth/user/delete/apikey', {
      short: 'Delete an API key',
      struct: apiKey,
      required: 'apikeyid',
      aliases: apiKeyAliases,
      altUses: ['deleteapikey'],
    }),
    cmd('user', 'showuserapikey', '/auth/user/show/apikey', {
      short: 'Show existing API keys',
      struct: apiKey,
      optional: 'apikeyid',
      aliases: apiKeyAliases,
      altUses: ['showapikey'],
      reply: 'data',
    }),
    cmd(undefined, 'restrictedupdateuser', '/auth/restricted/user/update', {
      short: 'Admin-only update of various user fields, requires name or email',
      struct: user,
      optional: 'name email emailverified familyname givenname nickname locked enabletotp failedlogins',
    }),
    // role
    cmd('role', 'names', '/auth/role/show', short('Show role names')),
    cmd('role', 'add', '/auth/role/adduser', {
      short: 'Add a role for the organization to the user',
      struct: role,
      required: 'org username role',
    }),
    cmd('role', 'remove', '/auth/role/removeuser', {
      short: 'Remove the role for the organization from the user',
      struct: role,
      required: 'org username role',
    }),
    cmd('role', 'show', '/auth/role/showuser', {
      short: 'Show roles for the organizations the current user can add or remove roles to',
      struct: role,
      optional: 'org username role',
      reply: 'data',
    }),
    cmd('role', 'assignment', '/auth/role/assignment/show', {
      short: 'Show roles for the current user',
      struct: role,
      optional: 'org username role',
      reply: 'data',
    }),
    cmd('role', 'perms', '/auth/role/perms/show', {
      short: 'Show permissions associated with each role',
      struct: rolePerm,
      optional: 'role resource action',
      reply: 'data',
    }),
    // org
    cmd('org', 'create', '/auth/org/create', {
      short: 'Create a new developer or operator organization',
      struct: org,
      required: 'name type',
      optional: 'address phone publicimages',
    }),
    cmd('org', 'update', '/auth/org/update', {
      short: 'Update an organization',
      struct: org,
      required: 'name',
      optional: 'address phone publicimages',
    }),
    cmd('org', 'delete', '/auth/org/delete', {
      ...short('Delete an organization'),
      struct: org,
      required: 'name',
    }),
    cmd('org', 'show', '/auth/org/show', {
      short: 'Show organizations',
      struct: org,
      optional: 'name type address phone publicimages deleteinprogress edgeboxonly',
      reply: 'data',
    }),
    cmd(undefined, 'restrictedupdateorg', '/auth/restricted/org/update', {
      short: 'Admin-only update of org fields, requires name',
      struct: org,
      required: 'name',
      optional: 'edgeboxonly',
    }),
    // controller
    cmd('controller', 'create', '/auth/controller/create', {
      short: 'Create a new regional controller',
      struct: controller,
      required: 'region address',
      optional: 'notifyaddr influxdb thanosmetrics',
    }),
    cmd('controller', 'update', '/auth/controller/update', {
      short: 'Update region controller',
      struct: controller,
      required: 'region',
      optional: 'address notifyaddr influxdb thanosmetrics dnsregion',
    }),
    cmd('controller', 'delete', '/auth/controller/delete', {
      short: 'Delete a regional controller',
      struct: controller,
      required: 'region',
    }),
    cmd('controller', 'show', '/auth/controller/show', {
      short: 'Show regional controllers',
      struct: controller,
      optional: 'region',
      reply: 'data',
    }),
    // config
    cmd('config', 'update', '/auth/config/update', {
      short: 'Update master controller global configuration',
      struct: config,
      optional: config
        .fields()
        .map((f) => f.arg)
        .join(' '),
    }),
    cmd('config', 'reset', '/auth/config/reset', {
      ...short('Reset master controller global configuration'),
      reply: 'result',
    }),
    cmd('config', 'show', '/auth/config/show', short('Show master controller global configuration')),
    cmd('config', 'public', '/publicconfig', {
      short: 'Show publicly visible master controller global configuration',
      noAuth: true,
    }),
    cmd('config', 'version', '/auth/config/version', short('Show master controller version')),
    // alert receivers
    ...(['create', 'delete', 'show'] as const).map((use) =>
      cmd('alertreceiver', use, `/auth/alertreceiver/${use}`, {
        short: `${use === 'show' ? 'Show' : use === 'create' ? 'Create' : 'Delete'} alert receiver${use === 'show' ? 's' : ''}`,
        struct: alertReceiver,
        required: use === 'show' ? '' : 'name type severity',
        optional:
          (use === 'show' ? 'name type severity ' : '') +
          'region user email slackchannel slackapiurl pagerdutyintegrationkey pagerdutyapiversion appname appvers apporg appcloudlet appcloudletorg cluster clusterorg cloudlet cloudletorg',
        aliases: {
          slackapiurl: 'slackwebhook',
          ...appInstAliases('appinst'),
          appcloudletorg: 'appinst.clusterinstkey.cloudletkey.organization',
          appcloudlet: 'appinst.clusterinstkey.cloudletkey.name',
          cloudletorg: 'cloudlet.organization',
          cloudlet: 'cloudlet.name',
        },
        reply: use === 'show' ? 'data' : 'result',
      }),
    ),
    // cloudlet pool access
    ...(['create', 'delete', 'show'] as const).flatMap((use) => [
      cmd('cloudletpoolinvitation', use, `/auth/cloudletpoolaccessinvitation/${use}`, {
        short: `${use} a cloudletpool invitation`,
        struct: orgCloudletPool,
        ...(use === 'show' ? { optional: poolArgs, reply: 'data' as const } : { required: poolArgs }),
      }),
      cmd('cloudletpoolresponse', use, `/auth/cloudletpoolaccessresponse/${use}`, {
        short: `${use} a cloudletpool response to an invitation`,
        struct: orgCloudletPool,
        ...(use === 'show'
          ? { optional: poolArgs, reply: 'data' as const }
          : { required: use === 'create' ? `${poolArgs} decision` : poolArgs }),
      }),
    ]),
    cmd('cloudletpoolaccess', 'showgranted', '/auth/cloudletpoolaccessgranted/show', {
      short: 'Show granted cloudletpool access',
      struct: orgCloudletPool,
      optional: poolArgs,
      reply: 'data',
    }),
    cmd('cloudletpoolaccess', 'showpending', '/auth/cloudletpoolaccesspending/show', {
      short: 'Show pending cloudletpool invitations without responses',
      struct: orgCloudletPool,
      optional: poolArgs,
      reply: 'data',
    }),
    // events
    ...(
      [
        ['show', 'Show events and audit events'],
        ['find', 'Find events and audit events, results sorted by relevance'],
        ['terms', 'Show aggregated events terms'],
      ] as const
    ).map(([use, s]) =>
      cmd('events', use, `/auth/events/${use}`, {
        short: s,
        struct: eventSearch,
        optional: eventArgs,
        aliases: eventAliases,
        reply: 'data',
      }),
    ),
    // metrics
    cmd('metrics', 'app', '/auth/metrics/app', {
      short: 'View App metrics',
      struct: appMetrics,
      required: 'region selector',
      optional: `${metricsArgs} appname apporg appvers cluster clusterorg cloudlet cloudletorg appinsts:#.apporg appinsts:#.appname appinsts:#.appvers appinsts:#.cluster appinsts:#.clusterorg appinsts:#.cloudletorg appinsts:#.cloudlet`,
      aliases: {
        ...appInstAliases('appinst'),
        ...Object.fromEntries(
          Object.entries(appInstAliases('appinsts:#')).map(([k, v]) => [`appinsts:#.${k}`, v]),
        ),
      },
      reply: 'data',
    }),
    cmd('metrics', 'cluster', '/auth/metrics/cluster', {
      short: 'View ClusterInst metrics',
      struct: clusterMetrics,
      required: 'region selector',
      optional: `${metricsArgs} cluster clusterorg cloudletorg cloudlet clusterinsts:#.cluster clusterinsts:#.clusterorg clusterinsts:#.cloudletorg clusterinsts:#.cloudlet`,
      aliases: Object.fromEntries(
        (['clusterinst', 'clusterinsts:#'] as const).flatMap((p) =>
          Object.entries({
            cluster: `${p}.clusterkey.name`,
            clusterorg: `${p}.organization`,
            cloudletorg: `${p}.cloudletkey.organization`,
            cloudlet: `${p}.cloudletkey.name`,
          }).map(([k, v]) => [p === 'clusterinst' ? k : `${p}.${k}`, v]),
        ),
      ),
      reply: 'data',
    }),
    ...(
      [
        ['cloudlet', '/auth/metrics/cloudlet', 'View Cloudlet metrics'],
        ['cloudletusage', '/auth/metrics/cloudlet/usage', 'View Cloudlet usage'],
      ] as const
    ).map(([use, path, s]) =>
      cmd('metrics', use, path, {
        short: s,
        struct: cloudletMetrics,
        required: 'region selector',
        optional: `${metricsArgs} cloudlet cloudletorg cloudlets:#.cloudletorg cloudlets:#.cloudlet`,
        aliases: {
          cloudletorg: 'cloudlet.organization',
          cloudlet: 'cloudlet.name',
          'cloudlets:#.cloudletorg': 'cloudlets:#.organization',
          'cloudlets:#.cloudlet': 'cloudlets:#.name',
        },
        reply: 'data',
      }),
    ),
  ];
}

/** Group descriptions, as the original's help shows them. */
export const GROUP_SHORTS: Readonly<Record<string, string>> = {
  user: 'Manage your account or other users',
  role: 'Manage user roles and permissions',
  org: 'Manage organizations',
  controller: 'Manage regional controllers',
  config: 'Manage global configuration',
  alertreceiver: 'Manage alert receivers',
  cloudletpoolinvitation: 'Manage CloudletPool invitations',
  cloudletpoolresponse: 'Manage CloudletPool responses to invitations',
  cloudletpoolaccess: 'View CloudletPool access',
  events: 'Search events and audit events',
  metrics: 'View metrics',
  streamobj: 'Stream progress of in-flight operations',
};
