import { connect, type Socket } from 'node:net';
import { cpus } from 'node:os';
import { edgeproto } from '@edge/proto';
import { World, app, appInst, cloudlet, clusterInst, flavor, settings, waitFor } from '../testing/world';

let w: World;
beforeEach(async () => {
  w = new World();
  await w.start();
});
afterEach(() => w.cleanup());

const tags = (m: edgeproto.Metric | undefined): Record<string, string> =>
  Object.fromEntries((m?.tags ?? []).map((t) => [t.name, t.val]));
const vals = (m: edgeproto.Metric | undefined): Record<string, unknown> =>
  Object.fromEntries((m?.vals ?? []).map((v) => [v.name, v.value.value]));
const fieldKinds = (m: edgeproto.Metric | undefined): Record<string, string | undefined> =>
  Object.fromEntries((m?.vals ?? []).map((v) => [v.name, v.value.case]));

const APPINST_TAGS = {
  cloudletorg: 'op',
  cloudlet: 'c1',
  cluster: 'k1',
  clusterorg: 'dev',
  apporg: 'dev',
  app: 'a1',
  ver: '1.0',
};

describe('Shepherd metrics', () => {
  it('sends the original measurements with their tags and fields (fake platform)', async () => {
    w.source.put(settings({ collectionMs: 50 }), cloudlet(), flavor(), app('a1'), clusterInst());
    w.source.put(appInst('a1', [8080]));
    w.shepherd();
    const names = [
      'appinst-cpu',
      'appinst-mem',
      'appinst-disk',
      'appinst-network',
      'appinst-connections',
      'cluster-cpu',
      'cluster-mem',
      'cluster-disk',
      'cluster-network',
      'cluster-tcp',
      'cloudlet-utilization',
      'cloudlet-network',
      'cloudlet-ipusage',
    ];
    await waitFor(() => names.every((n) => w.metrics(n).length > 0), 15_000, 'every measurement');

    const cpu = w.metrics('appinst-cpu')[0];
    expect(tags(cpu)).toEqual(APPINST_TAGS);
    expect(fieldKinds(cpu)).toEqual({ pod: 'sval', cpu: 'dval' });
    expect(cpu?.timestamp?.seconds).toBeGreaterThan(0n);
    expect(fieldKinds(w.metrics('appinst-mem')[0])).toEqual({ pod: 'sval', mem: 'ival' });
    expect(fieldKinds(w.metrics('appinst-disk')[0])).toEqual({ pod: 'sval', disk: 'ival' });
    expect(tags(w.metrics('appinst-network')[0])).toEqual(APPINST_TAGS);
    expect(fieldKinds(w.metrics('appinst-network')[0])).toEqual({ sendBytes: 'ival', recvBytes: 'ival' });
    const conns = w.metrics('appinst-connections')[0];
    expect(tags(conns)).toEqual({ ...APPINST_TAGS, port: '8080' });
    expect(Object.keys(vals(conns))).toEqual(['active', 'accepts', 'handled', 'bytesSent', 'bytesRecvd']);

    const clusterTags = { cloudletorg: 'op', cloudlet: 'c1', cluster: 'k1', clusterorg: 'dev' };
    expect(tags(w.metrics('cluster-cpu')[0])).toEqual(clusterTags);
    expect(fieldKinds(w.metrics('cluster-cpu')[0])).toEqual({ cpu: 'dval' });
    expect(fieldKinds(w.metrics('cluster-mem')[0])).toEqual({ mem: 'dval' });
    expect(fieldKinds(w.metrics('cluster-disk')[0])).toEqual({ disk: 'dval' });
    expect(Object.keys(vals(w.metrics('cluster-network')[0]))).toEqual(['sendBytes', 'recvBytes']);
    expect(Object.keys(vals(w.metrics('cluster-tcp')[0]))).toEqual(['tcpConns', 'tcpRetrans']);

    const util = w.metrics('cloudlet-utilization')[0];
    expect(tags(util)).toEqual({ cloudletorg: 'op', cloudlet: 'c1' });
    expect(Object.keys(vals(util))).toEqual([
      'vCpuUsed',
      'vCpuMax',
      'memUsed',
      'memMax',
      'diskUsed',
      'diskMax',
    ]);
    expect(Object.keys(vals(w.metrics('cloudlet-network')[0]))).toEqual(['netSent', 'netRecv']);
    expect(Object.keys(vals(w.metrics('cloudlet-ipusage')[0]))).toEqual([
      'ipv4Max',
      'ipv4Used',
      'floatingIpsMax',
      'floatingIpsUsed',
    ]);
  });

  it('reports the same series for the same objects (deterministic source)', async () => {
    w.source.put(settings({ collectionMs: 50 }), cloudlet(), app('a1'), appInst('a1', [8080]));
    w.shepherd();
    await waitFor(() => w.metrics('appinst-cpu').length >= 3, 15_000, 'three samples');
    const first = w.metrics('appinst-cpu').map((m) => vals(m)['cpu']);
    await w.cleanup();
    w = new World();
    await w.start();
    w.source.put(settings({ collectionMs: 50 }), cloudlet(), app('a1'), appInst('a1', [8080]));
    w.shepherd();
    await waitFor(() => w.metrics('appinst-cpu').length >= 3, 15_000, 'three samples again');
    expect(
      w
        .metrics('appinst-cpu')
        .map((m) => vals(m)['cpu'])
        .slice(0, 3),
    ).toEqual(first.slice(0, 3));
  });

  it('measures the instance process on the local platform', async () => {
    const port = await w.openPort();
    // This test process stands in for the instance: its pid, its port.
    const ai = appInst('a1', [port], { runtimeInfo: { containerIds: [`pid-${process.pid}`] } });
    w.source.put(
      settings({ collectionMs: 50 }),
      cloudlet(edgeproto.PlatformType.LOCAL),
      flavor(),
      app('a1'),
      clusterInst(),
      ai,
    );
    const client: Socket = connect({ host: '127.0.0.1', port });
    try {
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      w.shepherd();
      const active = (): number[] =>
        w.metrics('appinst-connections').map((m) => Number(vals(m)['active'] ?? 0n));
      await waitFor(() => active().some((n) => n >= 1), 15_000, 'the open connection counted');
      const conns = w.metrics('appinst-connections').find((m) => Number(vals(m)['active']) >= 1);
      expect(tags(conns)['port']).toBe(String(port));
      expect(Number(vals(conns)['accepts'])).toBeGreaterThanOrEqual(1);

      await waitFor(() => w.metrics('appinst-mem').length > 0, 15_000, 'appinst-mem');
      const mem = Number(vals(w.metrics('appinst-mem')[0])['mem']);
      expect(mem).toBeGreaterThan(1024 * 1024); // a node process uses more than a MB
      expect(fieldKinds(w.metrics('appinst-mem')[0])['mem']).toBe('ival');
      expect(vals(w.metrics('appinst-cpu')[0])['pod']).toBe(`pid-${process.pid}`);
      expect(Number(vals(w.metrics('appinst-cpu')[0])['cpu'])).toBeGreaterThanOrEqual(0);

      await waitFor(() => w.metrics('cloudlet-utilization').length > 0, 15_000, 'cloudlet-utilization');
      expect(Number(vals(w.metrics('cloudlet-utilization')[0])['vCpuMax'])).toBe(cpus().length);
      await waitFor(() => w.metrics('cluster-mem').length > 0, 15_000, 'cluster-mem');
      const clusterMem = Number(vals(w.metrics('cluster-mem')[0])['mem']);
      expect(clusterMem).toBeGreaterThan(0);
      expect(clusterMem).toBeLessThanOrEqual(100);
    } finally {
      client.destroy();
    }
  });

  it('sends nothing for an instance whose process is gone (local platform)', async () => {
    const ai = appInst('a1', [9], { runtimeInfo: { containerIds: ['pid-999999999'] } });
    w.source.put(settings({ collectionMs: 50 }), cloudlet(edgeproto.PlatformType.LOCAL), app('a1'), ai);
    w.shepherd();
    await waitFor(() => w.metrics('cloudlet-utilization').length >= 2, 15_000, 'two cloudlet rounds');
    expect(w.metrics().filter((m) => m.name.startsWith('appinst-'))).toEqual([]);
  });
});
