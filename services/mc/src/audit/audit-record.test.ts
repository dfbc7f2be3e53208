import type { AuditEntry } from '../http/app';
import { testCaller } from '../testing/area-test-app';
import { auditRow, skipsAudit } from './audit-record';
import { redactRequest } from './redact';

describe('audit records', () => {
  it('removes secrets from request bodies at any depth, whatever the key case', () => {
    expect(
      redactRequest({
        username: 'u',
        password: 'p',
        Passhash: 'h',
        totp: '123456',
        apikey: 'k',
        ApiKeyId: 'id',
        token: 't',
        verify: { email: 'e' },
        SlackWebhook: 'https://hooks.slack.com/T/B/secret',
        PagerDutyIntegrationKey: 'k'.repeat(32),
        WebhookUrl: 'https://x/?token=1',
        region: 'EU',
        cloudlet: { key: { name: 'c' }, access_vars: { OS_PASSWORD: 'x' } },
        gpudriver: { license_config: 'l', builds: [{ name: 'b', driver_path_creds: 'u:p' }] },
        list: [{ new_password: 'x', ok: 1 }],
      }),
    ).toEqual({
      username: 'u',
      ApiKeyId: 'id',
      verify: { email: 'e' },
      region: 'EU',
      cloudlet: { key: { name: 'c' } },
      gpudriver: { builds: [{ name: 'b' }] },
      list: [{ ok: 1 }],
    });
  });

  it('skips successful (and forbidden) shows and searches like the original', () => {
    expect(skipsAudit('/api/v1/auth/ctrl/ShowApp', 200)).toBe(true);
    expect(skipsAudit('/api/v1/auth/alertreceiver/show', 403)).toBe(true);
    expect(skipsAudit('/api/v1/auth/events/show', 200)).toBe(true);
    expect(skipsAudit('/api/v1/auth/user/current', 200)).toBe(true);
    expect(skipsAudit('/api/v1/auth/ctrl/ShowApp', 400)).toBe(false);
    expect(skipsAudit('/api/v1/auth/ctrl/CreateApp', 200)).toBe(false);
    expect(skipsAudit('/api/v1/login', 400)).toBe(false);
  });

  it('carries username, org, region and tags of the request', () => {
    const entry: AuditEntry = {
      name: '/api/v1/auth/ctrl/CreateApp',
      caller: testCaller('dev1'),
      status: 400,
      durationMs: 12.5,
      ip: '127.0.0.1',
      traceId: 'abc',
      body: { region: 'EU', app: { key: { name: 'a' } } },
      error: 'App already exists',
      tags: { org: 'devorg', region: 'EU', app: 'a' },
    };
    const row = auditRow(entry, Date.parse('2026-01-01T00:00:01Z'));
    expect(row).toEqual({
      at: '2026-01-01T00:00:00.987Z',
      name: '/api/v1/auth/ctrl/CreateApp',
      username: 'dev1',
      org: 'devorg',
      region: 'EU',
      status: 400,
      duration_ms: 12.5,
      remote_ip: '127.0.0.1',
      trace_id: 'abc',
      request: { region: 'EU', app: { key: { name: 'a' } } },
      error: 'App already exists',
      tags: {
        app: 'a',
        method: 'POST',
        'remote-ip': '127.0.0.1',
        status: '400',
        traceid: 'abc',
        username: 'dev1',
        email: 'dev1@example.com',
      },
    });
  });
});
