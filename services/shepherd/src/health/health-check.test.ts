import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { tcpProbe, type Probe } from './probe';
import { World, app, appInst, cloudlet, clusterInst, flavor, settings, waitFor } from '../testing/world';

let w: World;
const ALERT = 'edgeproto.Alert';
const down = (appName: string) => (a: edgeproto.Alert) =>
  a.labels['alertname'] === 'AppInstDown' && a.labels['app'] === appName;

/** The real probe, counting checks per port. */
function counting(): { probe: Probe; checks: (port: number) => number } {
  const n = new Map<number, number>();
  return {
    probe: (host, port, timeoutMs) => {
      n.set(port, (n.get(port) ?? 0) + 1);
      return tcpProbe(host, port, timeoutMs);
    },
    checks: (port) => n.get(port) ?? 0,
  };
}

beforeEach(async () => {
  w = new World();
  await w.start();
});
afterEach(() => w.cleanup());

describe('Shepherd health checks', () => {
  it('raises AppInstDown when the port closes and clears it when it reopens', async () => {
    const port = await w.openPort();
    w.source.put(settings({ healthMs: 100, retries: 2 }), cloudlet(), flavor(), app('a1'), clusterInst());
    w.source.put(appInst('a1', [port]));
    const { probe, checks } = counting();
    const s = w.shepherd({ probe });
    await s.waitSynced();
    // Up: several rounds pass without an alert.
    await waitFor(() => checks(port) >= 4, 15_000, 'four checks');
    expect(w.alerts()).toEqual([]);

    await w.closePort(port);
    await waitFor(() => w.alerts().some(down('a1')), 15_000, 'AppInstDown');
    const [alert] = w.alerts();
    expect(alert?.labels).toEqual({
      alertname: 'AppInstDown',
      region: 'local',
      app: 'a1',
      apporg: 'dev',
      appver: '1.0',
      cluster: 'k1',
      clusterorg: 'dev',
      cloudlet: 'c1',
      cloudletorg: 'op',
      status: 'HealthCheckServerFail',
      severity: 'error',
      scope: 'Application',
    });
    expect(alert?.annotations).toEqual({
      title: 'AppInstDown',
      description: 'Application server port is not responding',
    });
    expect(alert?.state).toBe('firing');
    expect(alert?.activeAt?.seconds).toBeGreaterThan(0n);

    await w.openPort(port);
    await waitFor(() => w.alerts().length === 0, 15_000, 'alert cleared');
    // The delete went up by key.
    expect(w.sink.applied.filter((c) => c.type === ALERT && !c.obj)).toHaveLength(1);
  });

  it('says the root load balancer is offline when nothing on the host answers', async () => {
    w.source.put(settings({ healthMs: 50, retries: 1 }), cloudlet(), app('a1'), appInst('a1', [7777]));
    const s = w.shepherd({ probe: async () => 'unreachable' });
    await s.waitSynced();
    await waitFor(() => w.alerts().length === 1, 15_000, 'AppInstDown');
    expect(w.alerts()[0]?.labels['status']).toBe('HealthCheckRootlbOffline');
    expect(w.alerts()[0]?.annotations['description']).toBe('Root Load Balancer is not responding');
  });

  it('dials the AppInst URI on other platforms, and 127.0.0.1 on local ones', async () => {
    const dialled: string[] = [];
    const ai = appInst('a1', [4000], { uri: 'a1.example.net' });
    ai.mappedPorts[0]!.fqdnPrefix = 'p-';
    w.source.put(settings({ healthMs: 50 }), cloudlet(edgeproto.PlatformType.OPENSTACK), app('a1'), ai);
    w.shepherd({
      probe: async (host, port) => {
        dialled.push(`${host}:${port}`);
        return 'ok';
      },
    });
    await waitFor(() => dialled.length > 0, 15_000, 'a check');
    expect(dialled[0]).toBe('p-a1.example.net:4000');
    w.source.put(cloudlet(edgeproto.PlatformType.LOCAL));
    await waitFor(() => dialled.at(-1) === '127.0.0.1:4000', 15_000, 'a local check');
  });

  it('applies a new check interval at once', async () => {
    const port = await w.openPort();
    await w.closePort(port);
    // An hour between checks: only the first runs (one failure of two needed).
    w.source.put(settings({ healthMs: 3_600_000, retries: 2 }), cloudlet(), app('a1'), appInst('a1', [port]));
    let probes = 0;
    const s = w.shepherd({
      probe: async () => {
        probes++;
        return 'refused';
      },
    });
    await s.waitSynced();
    await waitFor(() => probes === 1, 15_000, 'first check');
    w.source.put(settings({ healthMs: 50, retries: 2 }));
    await waitFor(() => w.alerts().length === 1, 15_000, 'AppInstDown after the interval change');
    expect(s.intervals().healthCheckMs).toBe(50);
  });

  it('checks AppInsts as they come, stops and clears as they go or leave READY', async () => {
    const good = await w.openPort();
    const bad = await w.openPort();
    await w.closePort(bad);
    w.source.put(settings({ healthMs: 50, retries: 1 }), cloudlet(), app('a1'), app('a2'), app('a3'));
    w.source.put(appInst('a1', [good]));
    const { probe, checks } = counting();
    const s = w.shepherd({ probe });
    await s.waitSynced();
    /** Lets `n` more checks of a1 pass. */
    const rounds = async (n: number): Promise<void> => {
      const until = checks(good) + n;
      await waitFor(() => checks(good) >= until, 15_000, `${n} more checks`);
    };
    w.source.put(appInst('a2', [bad]));
    await waitFor(() => w.alerts().some(down('a2')), 15_000, 'a2 down');

    const ai2 = appInst('a2', [bad]);
    w.source.delete('edgeproto.AppInst', w.codec.keyJson('edgeproto.AppInst', ai2));
    await waitFor(() => w.alerts().length === 0, 15_000, 'a2 alert cleared with the AppInst');
    const badChecks = checks(bad);

    // Not READY (e.g. being deleted): not checked.
    w.source.put(appInst('a3', [bad], { state: edgeproto.TrackedState.DELETE_REQUESTED }));
    await rounds(3);
    expect(w.alerts()).toEqual([]);
    // An App that skips the port's health check.
    w.source.put(app('a3', { skipHcPorts: `tcp:${bad}` }), appInst('a3', [bad]));
    await rounds(3);
    expect(w.alerts()).toEqual([]);
    expect(checks(bad)).toBe(badChecks);
    // AppInsts of other cloudlets are none of its business.
    const other = appInst('a1', [bad]);
    other.key!.clusterInstKey!.cloudletKey = create(edgeproto.CloudletKeySchema, {
      organization: 'op',
      name: 'c2',
    });
    w.source.put(other);
    await rounds(3);
    expect(w.alerts()).toEqual([]);
    expect(checks(bad)).toBe(badChecks);
  });
});
