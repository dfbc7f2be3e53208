import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { parseReceiver, type AlertReceiver } from './receivers-model';
import { alertmanagerConfigYaml, routeMatchLabels, severityMatch } from './receivers-yaml';

const smtp = { smarthost: '', from: 'support@mobiledgex.com', username: '', password: '' };
const rec = (over: Record<string, unknown>): AlertReceiver =>
  parseReceiver({ User: 'u1', Severity: 'info', ...over });

describe('Alertmanager configuration', () => {
  it('matches severities at or above the receiver severity', () => {
    expect(severityMatch('info')).toBe('info|warning|error');
    expect(severityMatch('warning')).toBe('warning|error');
    expect(severityMatch('error')).toBe('error');
  });

  it('routes by the scope labels of the original', () => {
    expect(routeMatchLabels(rec({ Region: 'EU', Cloudlet: { organization: 'op', name: 'cl' } }))).toEqual({
      region: 'EU',
      scope: 'Cloudlet',
      cloudletorg: 'op',
      cloudlet: 'cl',
    });
    expect(
      routeMatchLabels(
        rec({
          AppInst: {
            app_key: { organization: 'dev', name: 'a', version: '1' },
            cluster_inst_key: {
              cluster_key: { name: 'k' },
              cloudlet_key: { organization: 'op', name: 'cl' },
              organization: 'dev',
            },
          },
        }),
      ),
    ).toEqual({
      scope: 'Application',
      apporg: 'dev',
      app: 'a',
      appver: '1',
      cluster: 'k',
      clusterorg: 'dev',
      cloudlet: 'cl',
      cloudletorg: 'op',
    });
    expect(routeMatchLabels(rec({ AppInst: { cluster_inst_key: { organization: 'dev' } } }))).toEqual({
      scope: 'Application',
      clusterorg: 'dev',
    });
    expect(routeMatchLabels(rec({}))).toEqual({ scope: 'Platform' });
  });

  const receivers = [
    rec({
      Name: 'w',
      Type: 'webhook',
      WebhookUrl: 'http://127.0.0.1:1/x',
      AppInst: { app_key: { organization: 'dev' } },
    }),
    rec({ Name: 'e', Type: 'email', Email: 'a@b.c', Severity: 'error', Cloudlet: { organization: 'op' } }),
    rec({
      Name: 's',
      Type: 'slack',
      SlackChannel: '#c',
      SlackWebhook: 'https://hooks.slack.com/x',
      Region: 'EU',
    }),
    rec({
      Name: 'p1',
      Type: 'pagerduty',
      PagerDutyIntegrationKey: 'k'.repeat(32),
      PagerDutyApiVersion: 'v1',
    }),
    rec({
      Name: 'p2',
      Type: 'pagerduty',
      PagerDutyIntegrationKey: 'k'.repeat(32),
      PagerDutyApiVersion: 'v2',
    }),
  ];

  it('renders the base config, one receiver and one continue route per receiver, sorted', () => {
    const cfg = parse(alertmanagerConfigYaml(receivers, smtp)) as {
      route: Record<string, unknown> & { routes: Record<string, unknown>[] };
      receivers: Record<string, unknown>[];
    };
    expect(cfg.route).toMatchObject({
      group_by: ['...'],
      group_wait: '0s',
      group_interval: '1s',
      repeat_interval: '2h',
      receiver: 'default',
    });
    expect(cfg.route.routes.map((r) => r['receiver'])).toEqual([
      'e::u1::error::email',
      'p1::u1::info::pagerduty',
      'p2::u1::info::pagerduty',
      's::u1::info::slack',
      'w::u1::info::webhook',
    ]);
    expect(cfg.route.routes[4]).toEqual({
      receiver: 'w::u1::info::webhook',
      match: { scope: 'Application', apporg: 'dev' },
      match_re: { severity: 'info|warning|error' },
      continue: true,
    });
    const byName = Object.fromEntries(cfg.receivers.map((r) => [r['name'], r]));
    expect(byName['default']).toEqual({ name: 'default' });
    expect(byName['w::u1::info::webhook']).toEqual({
      name: 'w::u1::info::webhook',
      webhook_configs: [{ url: 'http://127.0.0.1:1/x', send_resolved: true }],
    });
    expect(byName['e::u1::error::email']).toEqual({
      name: 'e::u1::error::email',
      email_configs: [{ to: 'a@b.c', send_resolved: true }],
    });
    expect(byName['p1::u1::info::pagerduty']).toMatchObject({
      pagerduty_configs: [
        { service_key: 'k'.repeat(32), client: 'MobiledgeX Monitoring', send_resolved: true },
      ],
    });
    expect(byName['p2::u1::info::pagerduty']).toMatchObject({
      pagerduty_configs: [{ routing_key: 'k'.repeat(32) }],
    });
    expect(byName['s::u1::info::slack']).toMatchObject({
      slack_configs: [{ api_url: 'https://hooks.slack.com/x', channel: '#c', send_resolved: true }],
    });
  });

  it('is a configuration Alertmanager accepts (amtool check-config)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mc-amcfg-'));
    try {
      const file = join(dir, 'alertmanager.yml');
      await writeFile(file, alertmanagerConfigYaml(receivers, smtp));
      const run = promisify(execFile);
      const out = await run('amtool', ['check-config', file]).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // amtool not installed
        throw err;
      });
      if (out) expect(out.stdout).toContain('SUCCESS');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
