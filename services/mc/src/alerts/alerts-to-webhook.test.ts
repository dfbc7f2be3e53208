import { readFile } from 'node:fs/promises';
import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { describeWithServers, hasAlert, startAlertWebhook, waitFor, type AlertWebhook } from '@edge/testing';
import { startController, type ControllerHarness } from '../../../controller/src/testing/harness';
import { startAlertmanager, freePort, type AlertmanagerProcess } from '../testing/alertmanager-process';
import { startAreaTestApp, type AreaTestApp } from '../testing/area-test-app';

const REGION = 'EU';

function alert(labels: Record<string, string>): edgeproto.Alert {
  const now = Date.now();
  return create(edgeproto.AlertSchema, {
    labels,
    annotations: { title: labels['alertname'] ?? '', description: 'test alert' },
    state: 'firing',
    activeAt: { seconds: BigInt(Math.floor(now / 1000)), nanos: 0 },
  });
}

const appInstDown = (apporg: string): edgeproto.Alert =>
  alert({
    alertname: 'AppInstDown',
    app: 'app1',
    apporg,
    appver: '1.0',
    cluster: 'c1',
    clusterorg: apporg,
    cloudlet: 'cl1',
    cloudletorg: 'op',
    scope: 'Application',
    region: REGION,
    instance: 'internal-only',
  });

describeWithServers('alerts: Controller → MC → Alertmanager → webhook receiver', () => {
  let am: AlertmanagerProcess;
  let t: AreaTestApp;
  let ctrl: ControllerHarness;
  let hook: AlertWebhook;

  beforeAll(async () => {
    am = await startAlertmanager();
    t = await startAreaTestApp({
      alertmanagerAddr: am.url,
      alertmanagerConfigFile: am.configFile,
      alertResolveTimeout: 3_000,
    });
    hook = await startAlertWebhook(await freePort());
    ctrl = await startController({ region: REGION });
    await t.db.db.query(
      `INSERT INTO controllers (region, address, notify_addr, dns_region) VALUES ($1, $2, $3, $4)`,
      [REGION, ctrl.address, ctrl.notifyAddress, 'eu'],
    );
    await t.grant('dev1', 'devorg', 'DeveloperManager');
    await t.grant('dev2', 'otherorg', 'DeveloperManager');
  });
  afterAll(async () => {
    await ctrl?.close();
    await hook?.close();
    await t?.close();
    await am?.stop();
  });

  const put = (a: edgeproto.Alert): Promise<unknown> =>
    ctrl.ctrl.store.apply(async (tx) => tx.put(ctrl.reg.get('Alert'), a));
  const del = (a: edgeproto.Alert): Promise<unknown> =>
    ctrl.ctrl.store.apply(async (tx) => tx.delete(ctrl.reg.get('Alert'), a));

  it('delivers a Controller alert to a webhook receiver of its org, and resolves it when it goes away', async () => {
    const r = await t.post(
      'auth/alertreceiver/create',
      {
        name: 'hook',
        type: 'webhook',
        severity: 'warning',
        webhookurl: `http://127.0.0.1:${hook.port}/alerts`,
        appinst: { app_key: { organization: 'devorg' } },
      },
      'dev1',
    );
    expect(r).toEqual({ status: 200, body: { message: 'Alert receiver created successfully' } });
    const file = await readFile(am.configFile, 'utf8');
    expect(file).toContain('name: hook::dev1::warning::webhook');
    expect(file).toContain(`url: http://127.0.0.1:${hook.port}/alerts`);

    await waitFor(
      () => t.alerts.feeds?.connected(REGION) ?? false,
      10_000,
      'notify stream to the Controller',
    );
    const mine = appInstDown('devorg');
    const theirs = appInstDown('otherorg');
    const internal = alert({ alertname: 'AutoScaleUp', apporg: 'devorg', scope: 'Application' });
    await put(mine);
    await put(theirs);
    await put(internal);

    const firing = await hook.waitFor((p) => hasAlert(p, 'AppInstDown', 'firing'), 20_000);
    expect(firing.receiver).toBe('hook::dev1::warning::webhook');
    const got = firing.alerts.find((a) => a.labels['alertname'] === 'AppInstDown');
    expect(got?.labels).toMatchObject({
      apporg: 'devorg',
      region: REGION,
      severity: 'error',
      scope: 'Application',
    });
    expect(got?.labels['instance']).toBeUndefined();
    expect(got?.annotations['description']).toBe('test alert');

    // Alertmanager holds the other org's alert but not the internal one.
    const held = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
    }[];
    expect(held.map((a) => `${a.labels['alertname']}/${a.labels['apporg']}`).sort()).toEqual([
      'AppInstDown/devorg',
      'AppInstDown/otherorg',
    ]);

    await del(mine);
    const resolved = await hook.waitFor((p) => hasAlert(p, 'AppInstDown', 'resolved'), 20_000);
    expect(resolved.alerts.find((a) => a.labels['alertname'] === 'AppInstDown')?.labels['apporg']).toBe(
      'devorg',
    );
    // dev1's receiver never saw the other org's alert.
    expect(hook.payloads.flatMap((p) => p.alerts).some((a) => a.labels['apporg'] === 'otherorg')).toBe(false);
  }, 60_000);

  it('shows receivers to their owners only, with secrets hidden, and deletes them', async () => {
    const mk = await t.post(
      'auth/alertreceiver/create',
      {
        Name: 'slack1',
        Type: 'slack',
        Severity: 'error',
        SlackChannel: 'ops',
        SlackWebhook: 'https://hooks.slack.com/services/T0/B0/secret',
        AppInst: { app_key: { organization: 'otherorg' } },
      },
      'dev2',
    );
    expect(mk.status).toBe(200);
    const shown = await t.post<Record<string, unknown>[]>('auth/alertreceiver/show', {}, 'dev2');
    expect(shown.body).toEqual([
      expect.objectContaining({
        Name: 'slack1',
        User: 'dev2',
        SlackChannel: '#ops',
        SlackWebhook: '<hidden>',
        AppInst: {
          app_key: { organization: 'otherorg' },
          cluster_inst_key: { cluster_key: {}, cloudlet_key: {} },
        },
      }),
    ]);
    const dev1 = await t.post<{ Name: string }[]>('auth/alertreceiver/show', {}, 'dev1');
    expect(dev1.body.map((r) => r.Name)).toEqual(['hook']);
    // dev1 may not create receivers for another org
    const denied = await t.post(
      'auth/alertreceiver/create',
      { Name: 'x', Type: 'email', Severity: 'info', AppInst: { app_key: { organization: 'otherorg' } } },
      'dev1',
    );
    expect(denied).toEqual({ status: 403, body: { message: 'Forbidden' } });

    const gone = await t.post(
      'auth/alertreceiver/delete',
      {
        Name: 'slack1',
        Type: 'slack',
        Severity: 'error',
        AppInst: { app_key: { organization: 'otherorg' } },
      },
      'dev2',
    );
    expect(gone).toEqual({ status: 200, body: { message: 'Alert receiver deleted successfully' } });
    expect(await readFile(am.configFile, 'utf8')).not.toContain('slack1');
    const again = await t.post(
      'auth/alertreceiver/delete',
      { Name: 'slack1', Type: 'slack', Severity: 'error' },
      'dev2',
    );
    expect(again.body).toEqual({
      message:
        'Unable to delete a receiver - No receiver "slack1" of type slack and severity error for user "dev2"',
    });
  });
});
