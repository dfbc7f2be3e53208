import type { EdgeError } from '@edge/errors';
import { emptyReceiver, parseReceiver, type AlertReceiver } from './receivers-model';
import { validateNewReceiver, type ReceiverCaller } from './receivers-validate';

const caller = (over: Partial<ReceiverCaller> = {}): ReceiverCaller => ({
  username: 'dev1',
  email: 'dev1@example.com',
  isAdmin: false,
  mayViewAlerts: (org) => Promise.resolve(org === 'devorg' || org === 'op'),
  ...over,
});

const base = (over: Record<string, unknown> = {}): AlertReceiver =>
  parseReceiver({
    Name: 'r1',
    Type: 'email',
    Severity: 'error',
    AppInst: { app_key: { organization: 'devorg' } },
    ...over,
  });

async function message(r: AlertReceiver, c = caller()): Promise<string> {
  try {
    await validateNewReceiver(r, c);
  } catch (err) {
    return (err as EdgeError).message;
  }
  return 'ok';
}

describe('alert receiver validation (the original messages, in its order)', () => {
  it.each([
    [{ Name: '' }, 'Receiver name has to be specified'],
    [{ Name: 'a:b' }, 'Receiver name is invalid'],
    [{ Name: '-x' }, 'Receiver name is invalid'],
    [{ Severity: 'critical' }, 'Alert severity has to be one of "info", "warning", "error"'],
    [{ User: 'someone' }, 'User is not specifiable, current logged in user will be used'],
    [{ AppInst: {} }, 'Either cloudlet, cluster or app instance details have to be specified'],
    [
      { Cloudlet: { organization: 'op' } },
      'AppInst details cannot be specified if this receiver is for cloudlet alerts',
    ],
    [
      { Cloudlet: { name: 'cl1' } },
      'Cloudlet details cannot be specified if this receiver is for appInst or cluster alerts',
    ],
    [{ Email: 'not-an-email' }, 'Receiver email is invalid'],
    [{ Type: 'slack', SlackChannel: 'ops' }, 'Both slack URL and slack channel must be specified'],
    [
      { Type: 'slack', SlackChannel: 'ops', SlackWebhook: 'ftp://x/y' },
      'Unable to create a receiver - Invalid Slack api URL',
    ],
    [{ Type: 'pagerduty' }, 'PagerDuty Integration Key must be present'],
    [
      { Type: 'pagerduty', PagerDutyIntegrationKey: 'short' },
      'PagerDuty Integration Key must contain 32 characters',
    ],
    [
      { Type: 'pagerduty', PagerDutyIntegrationKey: 'k'.repeat(32), PagerDutyApiVersion: 'v3' },
      'Unable to create a receiver - PagerDuty Integration Api version must be "v1" or "v2"("v2" will be used if not specified)',
    ],
    [{ Type: 'webhook' }, 'Webhook URL must be specified'],
    [
      { Type: 'webhook', WebhookUrl: 'file:///etc/passwd' },
      'Invalid webhook URL, must be an http or https URL',
    ],
    [{ Type: 'webhook', WebhookUrl: 'not a url' }, 'Invalid webhook URL, must be an http or https URL'],
    [{ Type: 'sms' }, 'Receiver type invalid'],
  ])('%j → %s', async (over, msg) => {
    expect(await message(base(over))).toBe(msg);
  });

  it('refuses scopes in orgs the caller may not view with 403 Forbidden', async () => {
    for (const scope of [
      { AppInst: { app_key: { organization: 'other' } } },
      { AppInst: { cluster_inst_key: { organization: 'other' } } },
      { AppInst: {}, Cloudlet: { organization: 'other' } },
    ]) {
      expect(await message(base(scope))).toBe('Forbidden');
    }
  });

  it('fills in the user, the caller email, the Slack # and the PagerDuty version', async () => {
    const email = await validateNewReceiver(base(), caller());
    expect(email).toMatchObject({ User: 'dev1', Email: 'dev1@example.com' });
    const slack = await validateNewReceiver(
      base({ Type: 'slack', SlackChannel: 'ops', SlackWebhook: 'https://hooks.slack.com/x' }),
      caller(),
    );
    expect(slack.SlackChannel).toBe('#ops');
    const pd = await validateNewReceiver(
      base({ Type: 'pagerduty', PagerDutyIntegrationKey: 'k'.repeat(32) }),
      caller(),
    );
    expect(pd.PagerDutyApiVersion).toBe('v2');
  });

  it('lets admins create Platform receivers with no org', async () => {
    const r = await validateNewReceiver(
      base({ AppInst: {}, Type: 'webhook', WebhookUrl: 'https://h.example/x' }),
      {
        ...caller(),
        isAdmin: true,
      },
    );
    expect(r.User).toBe('dev1');
  });

  it('reads keys case- and underscore-insensitively', () => {
    const r = parseReceiver({
      name: 'n',
      webhookURL: 'https://x',
      appinst: { AppKey: { Organization: 'o', name: 'a' }, clusterinstkey: { cloudlet_key: { name: 'c' } } },
    });
    const want = emptyReceiver();
    want.Name = 'n';
    want.WebhookUrl = 'https://x';
    want.AppInst.appKey.organization = 'o';
    want.AppInst.appKey.name = 'a';
    want.AppInst.clusterInstKey.cloudletKey.name = 'c';
    expect(r).toEqual(want);
  });
});
