import { invalidArgument } from '@edge/errors';

/** The receiver types: the original's email, slack and pagerduty, plus a generic webhook. */
export const RECEIVER_TYPES = ['email', 'slack', 'pagerduty', 'webhook'] as const;

/** `edgeproto.CloudletKey` as a receiver's scope. */
export interface ReceiverCloudlet {
  organization: string;
  name: string;
}

/** `edgeproto.AppInstKey` as a receiver's scope (an app, or only a cluster). */
export interface ReceiverAppInst {
  appKey: { organization: string; name: string; version: string };
  clusterInstKey: {
    clusterKey: { name: string };
    cloudletKey: { organization: string; name: string };
    organization: string;
  };
}

/** The original's `ormapi.AlertReceiver`, plus `WebhookUrl` for the webhook type. */
export interface AlertReceiver {
  Name: string;
  Type: string;
  Severity: string;
  Region: string;
  User: string;
  Email: string;
  SlackChannel: string;
  SlackWebhook: string;
  PagerDutyIntegrationKey: string;
  PagerDutyApiVersion: string;
  WebhookUrl: string;
  Cloudlet: ReceiverCloudlet;
  AppInst: ReceiverAppInst;
}

/** Shown instead of secrets (the original's `AlertMgrDisplayHidden`). */
export const HIDDEN = '<hidden>';

/** Case- and underscore-insensitive field lookup (Go's JSON decoding; `app_key` = `AppKey` = `appkey`). */
function get(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const want = name.replace(/_/g, '').toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.replace(/_/g, '').toLowerCase() === want) return v;
  return undefined;
}

function str(obj: unknown, name: string): string {
  const v = get(obj, name);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalidArgument(`Invalid JSON data: ${name} must be a string`);
  return v;
}

/** An empty receiver (all fields ''). */
export function emptyReceiver(): AlertReceiver {
  return {
    Name: '',
    Type: '',
    Severity: '',
    Region: '',
    User: '',
    Email: '',
    SlackChannel: '',
    SlackWebhook: '',
    PagerDutyIntegrationKey: '',
    PagerDutyApiVersion: '',
    WebhookUrl: '',
    Cloudlet: { organization: '', name: '' },
    AppInst: {
      appKey: { organization: '', name: '', version: '' },
      clusterInstKey: {
        clusterKey: { name: '' },
        cloudletKey: { organization: '', name: '' },
        organization: '',
      },
    },
  };
}

/** Reads a receiver from a request body (keys case-insensitive; nested keys as proto JSON or Go names). */
export function parseReceiver(body: unknown): AlertReceiver {
  const r = emptyReceiver();
  for (const f of [
    'Name',
    'Type',
    'Severity',
    'Region',
    'User',
    'Email',
    'SlackChannel',
    'SlackWebhook',
    'PagerDutyIntegrationKey',
    'PagerDutyApiVersion',
    'WebhookUrl',
  ] as const)
    r[f] = str(body, f);
  const cl = get(body, 'Cloudlet');
  r.Cloudlet = { organization: str(cl, 'organization'), name: str(cl, 'name') };
  const ai = get(body, 'AppInst');
  const ak = get(ai, 'app_key');
  const ck = get(ai, 'cluster_inst_key');
  r.AppInst = {
    appKey: { organization: str(ak, 'organization'), name: str(ak, 'name'), version: str(ak, 'version') },
    clusterInstKey: {
      clusterKey: { name: str(get(ck, 'cluster_key'), 'name') },
      cloudletKey: {
        organization: str(get(ck, 'cloudlet_key'), 'organization'),
        name: str(get(ck, 'cloudlet_key'), 'name'),
      },
      organization: str(ck, 'organization'),
    },
  };
  return r;
}

/** Whether no AppInst key field is set. */
export function appInstEmpty(a: ReceiverAppInst): boolean {
  const c = a.clusterInstKey;
  return ![
    a.appKey.organization,
    a.appKey.name,
    a.appKey.version,
    c.clusterKey.name,
    c.cloudletKey.organization,
    c.cloudletKey.name,
    c.organization,
  ].some(Boolean);
}

/** Whether no Cloudlet key field is set. */
export function cloudletEmpty(c: ReceiverCloudlet): boolean {
  return !c.organization && !c.name;
}

/** The org a receiver is about (the original's `getOrgForReceiver`): cloudlet org, else app org, else cluster org. */
export function receiverOrg(r: AlertReceiver): string {
  return r.Cloudlet.organization || r.AppInst.appKey.organization || r.AppInst.clusterInstKey.organization;
}

/** The Alertmanager receiver name `<Name>::<User>::<Severity>::<Type>`. */
export function alertmanagerReceiverName(
  r: Pick<AlertReceiver, 'Name' | 'User' | 'Severity' | 'Type'>,
): string {
  return `${r.Name}::${r.User}::${r.Severity}::${r.Type}`;
}

const omitEmpty = (o: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ''));

/**
 * A receiver as `alertreceiver/show` answers it: Go field names, the embedded keys as proto
 * JSON (empty fields omitted), secrets (Slack and webhook URLs, PagerDuty key) `<hidden>`.
 */
export function receiverJson(r: AlertReceiver): Record<string, unknown> {
  const c = r.AppInst.clusterInstKey;
  return {
    Name: r.Name,
    Type: r.Type,
    Severity: r.Severity,
    Region: r.Region,
    User: r.User,
    Email: r.Email,
    SlackChannel: r.SlackChannel,
    SlackWebhook: r.SlackWebhook ? HIDDEN : '',
    PagerDutyIntegrationKey: r.PagerDutyIntegrationKey ? HIDDEN : '',
    PagerDutyApiVersion: r.PagerDutyApiVersion,
    WebhookUrl: r.WebhookUrl ? HIDDEN : '',
    Cloudlet: omitEmpty({ ...r.Cloudlet }),
    AppInst: {
      app_key: omitEmpty({ ...r.AppInst.appKey }),
      cluster_inst_key: {
        cluster_key: omitEmpty({ ...c.clusterKey }),
        cloudlet_key: omitEmpty({ ...c.cloudletKey }),
        ...omitEmpty({ organization: c.organization }),
      },
    },
  };
}

/** The original's show filter: every set field must be equal. */
export function receiverMatches(r: AlertReceiver, f: AlertReceiver): boolean {
  const eq = (a: string, b: string): boolean => b === '' || a === b;
  const c = r.AppInst.clusterInstKey;
  const fc = f.AppInst.clusterInstKey;
  return (
    eq(r.Name, f.Name) &&
    eq(r.Email, f.Email) &&
    eq(r.Severity, f.Severity) &&
    eq(r.Type, f.Type) &&
    eq(r.User, f.User) &&
    eq(r.Region, f.Region) &&
    eq(r.SlackChannel, f.SlackChannel) &&
    eq(r.Cloudlet.organization, f.Cloudlet.organization) &&
    eq(r.Cloudlet.name, f.Cloudlet.name) &&
    eq(r.AppInst.appKey.organization, f.AppInst.appKey.organization) &&
    eq(r.AppInst.appKey.name, f.AppInst.appKey.name) &&
    eq(r.AppInst.appKey.version, f.AppInst.appKey.version) &&
    eq(c.clusterKey.name, fc.clusterKey.name) &&
    eq(c.cloudletKey.organization, fc.cloudletKey.organization) &&
    eq(c.cloudletKey.name, fc.cloudletKey.name) &&
    eq(c.organization, fc.organization)
  );
}
