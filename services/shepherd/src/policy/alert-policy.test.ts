import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { AppStats, StatsSource } from '../metrics/stats-source';
import { type Init, World, app, appInst, cloudlet, flavor, settings, waitFor } from '../testing/world';
import { policyBreach, policyDescription, policyFigures } from './policy-alert';

const MB = 1024 * 1024;
const ms = (n: number): bigint => BigInt(n) * 1_000_000n;

const policy = (init: Init<typeof edgeproto.AlertPolicySchema> & { name: string }): edgeproto.AlertPolicy => {
  const { name, ...rest } = init;
  return create(edgeproto.AlertPolicySchema, {
    key: { organization: 'dev', name },
    severity: 'warning',
    ...rest,
  });
};

/** A stats source whose AppInst figures the test sets, counting samples. */
function controlled(): { source: StatsSource; set(s: AppStats): void; samples(): number } {
  let stats: AppStats = { cpu: 10, mem: 100 * MB, connections: [] };
  let n = 0;
  return {
    source: {
      appInst: async () => {
        n++;
        return stats;
      },
      cluster: async () => undefined,
      cloudlet: async () => undefined,
    },
    set: (s) => (stats = s),
    samples: () => n,
  };
}

describe('Shepherd alert policies', () => {
  let w: World;
  beforeEach(async () => {
    w = new World();
    await w.start();
  });
  afterEach(() => w.cleanup());

  it('fires a UserDefined alert once the condition held for trigger_time, clears when it stops', async () => {
    const stats = controlled();
    const highCpu = policy({
      name: 'highcpu',
      cpuUtilizationLimit: 50,
      triggerTime: ms(300),
      labels: { team: 'blue' },
      annotations: { runbook: 'http://wiki/cpu' },
    });
    w.source.put(settings({ collectionMs: 50 }), cloudlet(), flavor(), highCpu);
    w.source.put(app('a1', { alertPolicies: ['highcpu'] }), appInst('a1', [8080]));
    const s = w.shepherd({
      statsSources: { PLATFORM_TYPE_FAKE: () => stats.source },
      probe: async () => 'ok',
    });
    await s.waitSynced();
    const after = async (n: number): Promise<void> => {
      const until = stats.samples() + n;
      await waitFor(() => stats.samples() >= until, 15_000, `${n} samples`);
    };
    await after(3);
    expect(w.alerts()).toEqual([]);

    const breached = Date.now();
    stats.set({ cpu: 80, connections: [] });
    await waitFor(() => w.alerts().length === 1, 15_000, 'policy alert');
    expect(Date.now() - breached).toBeGreaterThanOrEqual(300);
    const [alert] = w.alerts();
    expect(alert?.labels).toEqual({
      team: 'blue',
      alertname: 'highcpu',
      type: 'UserDefined',
      scope: 'Application',
      severity: 'warning',
      region: 'local',
      app: 'a1',
      apporg: 'dev',
      appver: '1.0',
      cluster: 'k1',
      clusterorg: 'dev',
      cloudlet: 'c1',
      cloudletorg: 'op',
    });
    expect(alert?.annotations).toEqual({
      runbook: 'http://wiki/cpu',
      title: 'highcpu',
      description: 'CPU Utilization > 50%',
    });
    expect(alert?.value).toBe(80);
    // Still firing: not resent with every sample.
    const sent = w.sink.applied.length;
    await after(3);
    expect(w.sink.applied.length).toBe(sent);

    stats.set({ cpu: 20, connections: [] });
    await waitFor(() => w.alerts().length === 0, 15_000, 'policy alert cleared');
  });

  it('needs every limit of a policy; memory against the flavor; clears when the App drops the policy', async () => {
    const stats = controlled();
    const both = policy({ name: 'memconn', memUtilizationLimit: 50, activeConnLimit: 2, triggerTime: 0n });
    w.source.put(settings({ collectionMs: 50 }), cloudlet(), flavor('f1', 1024n), both);
    w.source.put(app('a1', { alertPolicies: ['memconn'] }), appInst('a1', [8080]));
    const s = w.shepherd({
      statsSources: { PLATFORM_TYPE_FAKE: () => stats.source },
      probe: async () => 'ok',
    });
    await s.waitSynced();
    const conns = (active: number) => [{ port: 8080, active, accepts: active, handled: active }];
    // 600 MB of 1024 MB is over 50 %, but 1 connection is not over 2.
    stats.set({ mem: 600 * MB, connections: conns(1) });
    const until = stats.samples() + 3;
    await waitFor(() => stats.samples() >= until, 15_000, 'three samples');
    expect(w.alerts()).toEqual([]);
    stats.set({ mem: 600 * MB, connections: conns(3) });
    await waitFor(() => w.alerts().length === 1, 15_000, 'both limits exceeded');
    expect(w.alerts()[0]?.annotations['description']).toBe(
      'Memory Utilization > 50% and Number of active connections > 2',
    );
    w.source.put(app('a1', { alertPolicies: [] }));
    await waitFor(() => w.alerts().length === 0, 15_000, 'cleared with the policy gone');
  });

  it('clears the alerts of an AppInst that goes away', async () => {
    const stats = controlled();
    stats.set({ cpu: 99 });
    w.source.put(settings({ collectionMs: 50 }), cloudlet(), policy({ name: 'p', cpuUtilizationLimit: 1 }));
    const ai = appInst('a1', [8080]);
    w.source.put(app('a1', { alertPolicies: ['p'] }), ai);
    w.shepherd({ statsSources: { PLATFORM_TYPE_FAKE: () => stats.source }, probe: async () => 'ok' });
    await waitFor(() => w.alerts().length === 1, 15_000, 'policy alert');
    w.source.delete('edgeproto.AppInst', w.codec.keyJson('edgeproto.AppInst', ai));
    await waitFor(() => w.alerts().length === 0, 15_000, 'cleared with the AppInst');
  });
});

describe('policy conditions', () => {
  const f1 = create(edgeproto.FlavorSchema, { key: { name: 'f1' }, ram: 1000n, disk: 10n });

  it('computes memory and disk in percent of the flavor', () => {
    const f = policyFigures({ mem: 500 * MB, disk: 5 * 1024 * MB, connections: [] }, f1);
    expect(f.mem).toBeCloseTo(50);
    expect(f.disk).toBeCloseTo(50);
    expect(f.activeConns).toBe(0);
    expect(policyFigures({ mem: 1 }, undefined).mem).toBeUndefined();
  });

  it('holds only when every set limit is exceeded', () => {
    const p = policy({ name: 'p', cpuUtilizationLimit: 50, diskUtilizationLimit: 40 });
    expect(policyBreach(p, { cpu: 60, disk: 41 })).toBe(60);
    expect(policyBreach(p, { cpu: 60, disk: 40 })).toBeUndefined();
    expect(policyBreach(p, { cpu: 60 })).toBeUndefined();
    expect(policyBreach(policy({ name: 'none' }), { cpu: 100 })).toBeUndefined();
  });

  it('describes the limits as the original, unless the policy has a description', () => {
    const all = policy({
      name: 'p',
      cpuUtilizationLimit: 1,
      memUtilizationLimit: 2,
      diskUtilizationLimit: 3,
      activeConnLimit: 4,
    });
    expect(policyDescription(all)).toBe(
      'CPU Utilization > 1% and Memory Utilization > 2% and Disk Utilization > 3% and Number of active connections > 4',
    );
    expect(policyDescription(policy({ name: 'p', description: 'mine' }))).toBe('mine');
  });
});
