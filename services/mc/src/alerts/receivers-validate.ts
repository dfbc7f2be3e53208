import { invalidArgument } from '@edge/errors';
import { forbidden } from '../http/errors';
import { SEVERITIES } from './alert-labels';
import { appInstEmpty, cloudletEmpty, type AlertReceiver } from './receivers-model';

/** The original's `util.ValidName`. */
const NAME = /^[0-9a-zA-Z][-_0-9a-zA-Z .&,!]*$/;
/** The original's `util.ValidEmail`. */
const EMAIL = /(.+)@(.+)\.(.+)/;
/** The original's `PagerDutyIntegrationKeyLen`. */
export const PAGERDUTY_KEY_LEN = 32;

/** What validation needs to know about the caller. */
export interface ReceiverCaller {
  readonly username: string;
  readonly email: string;
  readonly isAdmin: boolean;
  /** Whether the caller holds `alert:view` in `org`. */
  readonly mayViewAlerts: (org: string) => Promise<boolean>;
}

const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

/** An error the original wraps as `Unable to create a receiver - <msg>` (it came from the Alertmanager side). */
const createError = (msg: string): Error => invalidArgument(`Unable to create a receiver - ${msg}`);

/**
 * Checks a receiver to create, in the original's order and with its messages, and
 * returns it completed: User = the caller, an email receiver without Email goes to the
 * caller's address, a Slack channel gets its `#`. A scope org the caller may not view is a
 * 403 `Forbidden`.
 */
export async function validateNewReceiver(
  input: AlertReceiver,
  caller: ReceiverCaller,
): Promise<AlertReceiver> {
  const r: AlertReceiver = structuredClone(input);
  if (r.Name === '') throw invalidArgument('Receiver name has to be specified');
  if (!NAME.test(r.Name)) throw invalidArgument('Receiver name is invalid');
  if (!(SEVERITIES as readonly string[]).includes(r.Severity))
    throw invalidArgument('Alert severity has to be one of "info", "warning", "error"');
  if (r.User !== '') throw invalidArgument('User is not specifiable, current logged in user will be used');
  r.User = caller.username;
  const appOrg = r.AppInst.appKey.organization;
  const clusterOrg = r.AppInst.clusterInstKey.organization;
  if (!r.Cloudlet.organization && !appOrg && !clusterOrg && !caller.isAdmin)
    throw invalidArgument('Either cloudlet, cluster or app instance details have to be specified');
  if (r.Cloudlet.organization) {
    if (!(await caller.mayViewAlerts(r.Cloudlet.organization))) throw forbidden();
    if (!appInstEmpty(r.AppInst))
      throw invalidArgument('AppInst details cannot be specified if this receiver is for cloudlet alerts');
  } else if (!cloudletEmpty(r.Cloudlet)) {
    throw invalidArgument(
      'Cloudlet details cannot be specified if this receiver is for appInst or cluster alerts',
    );
  }
  if (appOrg) {
    if (!(await caller.mayViewAlerts(appOrg))) throw forbidden();
  } else if (clusterOrg) {
    if (!(await caller.mayViewAlerts(clusterOrg))) throw forbidden();
  }

  switch (r.Type) {
    case 'email':
      if (r.Email === '') r.Email = caller.email;
      else if (!EMAIL.test(r.Email)) throw invalidArgument('Receiver email is invalid');
      break;
    case 'slack':
      if (r.SlackWebhook === '' || r.SlackChannel === '')
        throw invalidArgument('Both slack URL and slack channel must be specified');
      if (!r.SlackChannel.startsWith('#')) r.SlackChannel = `#${r.SlackChannel}`;
      if (!isHttpUrl(r.SlackWebhook)) throw createError('Invalid Slack api URL');
      break;
    case 'pagerduty':
      if (r.PagerDutyIntegrationKey === '')
        throw invalidArgument('PagerDuty Integration Key must be present');
      if ([...r.PagerDutyIntegrationKey].length !== PAGERDUTY_KEY_LEN)
        throw invalidArgument(`PagerDuty Integration Key must contain ${PAGERDUTY_KEY_LEN} characters`);
      if (r.PagerDutyApiVersion === '') r.PagerDutyApiVersion = 'v2';
      if (r.PagerDutyApiVersion !== 'v1' && r.PagerDutyApiVersion !== 'v2')
        throw createError(
          'PagerDuty Integration Api version must be "v1" or "v2"("v2" will be used if not specified)',
        );
      break;
    case 'webhook':
      if (r.WebhookUrl === '') throw invalidArgument('Webhook URL must be specified');
      if (!isHttpUrl(r.WebhookUrl))
        throw invalidArgument('Invalid webhook URL, must be an http or https URL');
      break;
    default:
      throw invalidArgument('Receiver type invalid');
  }
  return r;
}
