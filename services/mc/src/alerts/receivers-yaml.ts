import { stringify } from 'yaml';
import { SEVERITIES } from './alert-labels';
import { alertmanagerReceiverName, type AlertReceiver } from './receivers-model';

/** Global SMTP settings of the generated configuration (email receivers need a smarthost). */
export interface SmtpSettings {
  /** `host:port`; empty = `localhost:25` (mails then fail at Alertmanager, the config still loads). */
  readonly smarthost: string;
  readonly from: string;
  readonly username: string;
  readonly password: string;
}

/** The PagerDuty client name (the original's). */
const PAGERDUTY_CLIENT = 'MobiledgeX Monitoring';
const SLACK_ICON = 'https://www.mobiledgex.com/img/logo.svg';

/**
 * The route labels of a receiver (the original's `getRouteMatchLabelsFromAlertReceiver`):
 * `region` if given; then scope Cloudlet (cloudletorg[, cloudlet]), or Application with the
 * app's (or only the cluster's) key labels, else Platform (admins only).
 */
export function routeMatchLabels(r: AlertReceiver): Record<string, string> {
  const m: Record<string, string> = {};
  if (r.Region) m['region'] = r.Region;
  const ck = r.AppInst.clusterInstKey;
  const clusterLabels = (): void => {
    if (ck.cloudletKey.name) m['cloudlet'] = ck.cloudletKey.name;
    if (ck.cloudletKey.organization) m['cloudletorg'] = ck.cloudletKey.organization;
    if (ck.clusterKey.name) m['cluster'] = ck.clusterKey.name;
  };
  if (r.Cloudlet.organization) {
    m['scope'] = 'Cloudlet';
    m['cloudletorg'] = r.Cloudlet.organization;
    if (r.Cloudlet.name) m['cloudlet'] = r.Cloudlet.name;
  } else if (r.AppInst.appKey.organization) {
    const ak = r.AppInst.appKey;
    m['scope'] = 'Application';
    m['apporg'] = ak.organization;
    if (ak.name) m['app'] = ak.name;
    if (ak.version) m['appver'] = ak.version;
    clusterLabels();
    if (ck.organization) m['clusterorg'] = ck.organization;
  } else if (ck.organization) {
    m['scope'] = 'Application';
    m['clusterorg'] = ck.organization;
    clusterLabels();
  } else {
    m['scope'] = 'Platform';
  }
  return m;
}

/** The severities a receiver gets: its own and higher (`warning` → `warning|error`). */
export function severityMatch(severity: string): string {
  const i = (SEVERITIES as readonly string[]).indexOf(severity);
  return SEVERITIES.slice(Math.max(0, i)).join('|');
}

function notifier(r: AlertReceiver): Record<string, unknown> {
  switch (r.Type) {
    case 'email':
      return { email_configs: [{ to: r.Email, send_resolved: true }] };
    case 'slack':
      return {
        slack_configs: [
          { api_url: r.SlackWebhook, channel: r.SlackChannel, icon_url: SLACK_ICON, send_resolved: true },
        ],
      };
    case 'pagerduty':
      return {
        pagerduty_configs: [
          {
            ...(r.PagerDutyApiVersion === 'v1'
              ? { service_key: r.PagerDutyIntegrationKey }
              : { routing_key: r.PagerDutyIntegrationKey }),
            client: PAGERDUTY_CLIENT,
            severity: r.Severity,
            send_resolved: true,
          },
        ],
      };
    case 'webhook':
      return { webhook_configs: [{ url: r.WebhookUrl, send_resolved: true }] };
    default:
      throw new TypeError(`receiver type ${r.Type}`);
  }
}

/**
 * The whole Alertmanager configuration for `receivers`: the original's base (group by
 * everything, group_wait 0s, group_interval 1s, repeat_interval 2h, receiver `default`),
 * one receiver and one `continue: true` route per MC receiver, sorted by name so the file
 * is the same whichever MC replica writes it.
 */
export function alertmanagerConfigYaml(receivers: readonly AlertReceiver[], smtp: SmtpSettings): string {
  const sorted = [...receivers].sort((a, b) => {
    const x = alertmanagerReceiverName(a);
    const y = alertmanagerReceiverName(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const global: Record<string, unknown> = {
    smtp_smarthost: smtp.smarthost || 'localhost:25',
    smtp_from: smtp.from,
    smtp_require_tls: false,
  };
  if (smtp.username) {
    global['smtp_auth_username'] = smtp.username;
    global['smtp_auth_identity'] = smtp.username;
    global['smtp_auth_password'] = smtp.password;
  }
  const config = {
    global,
    route: {
      group_by: ['...'],
      group_wait: '0s',
      group_interval: '1s',
      repeat_interval: '2h',
      receiver: 'default',
      routes: sorted.map((r) => ({
        receiver: alertmanagerReceiverName(r),
        match: routeMatchLabels(r),
        match_re: { severity: severityMatch(r.Severity) },
        continue: true,
      })),
    },
    receivers: [
      { name: 'default' },
      ...sorted.map((r) => ({ name: alertmanagerReceiverName(r), ...notifier(r) })),
    ],
  };
  return stringify(config);
}
