import { create } from '@bufbuild/protobuf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@edge/log';
import { edgeproto } from '@edge/proto';
import { waitFor } from '@edge/testing';
import { startController, type ControllerHarness } from '../testing/harness';
import { LocalCloudlets } from './local-cloudlets';
import { secondaryAccessKeyWriter } from './register-key';

const STUB = join(__dirname, 'testing', 'stub-service.cjs');

interface Started {
  service: string;
  pid: number;
  args: string[];
}

function started(file: string): Started[] {
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Started);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('LocalCloudlets', () => {
  let h: ControllerHarness;
  let dir: string;
  let local: LocalCloudlets;
  const record = (): string => join(dir, 'started.jsonl');

  beforeEach(async () => {
    h = await startController();
    dir = mkdtempSync(join(tmpdir(), 'local-crm-'));
    local = new LocalCloudlets({
      cloudlets: h.ctrl.cache.type<edgeproto.Cloudlet>('Cloudlet'),
      registerAccessKey: secondaryAccessKeyWriter(h.reg, h.ctrl.store),
      region: 'local',
      notifyAddr: h.notifyAddress,
      accessApiAddr: '127.0.0.1:1',
      dataDir: dir,
      launch: (service) => ({ command: process.execPath, args: [STUB, service, record()] }),
      log: silentLogger(),
      restart: { minMs: 50, maxMs: 200, stableMs: 60_000 },
    });
    local.start();
  });

  afterEach(async () => {
    await local.stop();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cloudlet = (name: string, platformType: edgeproto.PlatformType): edgeproto.Cloudlet =>
    create(edgeproto.CloudletSchema, {
      key: { organization: 'op', name },
      platformType,
      location: { latitude: 1, longitude: 1 },
    });
  const put = (c: edgeproto.Cloudlet): Promise<void> =>
    h.ctrl.store.apply(async (tx) => tx.put(h.reg.get('Cloudlet'), c));

  it('starts a CRM and a Shepherd for a local cloudlet, restarts a crashed one, stops both on delete', async () => {
    await put(cloudlet('c1', edgeproto.PlatformType.LOCAL));
    await put(cloudlet('remote', edgeproto.PlatformType.OPENSTACK));
    await waitFor(() => started(record()).length === 2, 20_000, 'both services started');
    const [crm, shepherd] = ['crm', 'shepherd'].map((s) => started(record()).find((x) => x.service === s)!);
    expect(crm!.args).toEqual(
      expect.arrayContaining([
        '--cloudletKey={"organization":"op","name":"c1"}',
        '--region=local',
        `--notifyAddrs=${h.notifyAddress}`,
      ]),
    );
    const srv = crm!.args.find((a) => a.startsWith('--notifySrvAddr='))!.split('=')[1];
    expect(shepherd!.args).toEqual(expect.arrayContaining([`--notifyAddrs=${srv}`, '--platform=local']));
    const keyFile = crm!.args.find((a) => a.startsWith('--accessKeyFile='))!.split('=')[1]!;
    expect(readFileSync(keyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const stored = h.ctrl.cache.type<edgeproto.Cloudlet>('Cloudlet').get('{"organization":"op","name":"c1"}');
    expect(stored?.secondaryCrmAccessPublicKey).toContain('BEGIN PUBLIC KEY');
    expect(stored?.secondaryCrmAccessKeyUpgradeRequired).toBe(false);

    process.kill(crm!.pid, 'SIGKILL');
    await waitFor(
      () => started(record()).filter((s) => s.service === 'crm').length === 2,
      20_000,
      'crm restarted',
    );

    const pids = await local.pids('{"organization":"op","name":"c1"}');
    await h.ctrl.store.apply(async (tx) => tx.delete(h.reg.get('Cloudlet'), cloudlet('c1', 0)));
    await waitFor(() => !alive(pids.crm!) && !alive(pids.shepherd!), 20_000, 'both stopped');
    expect(started(record()).filter((s) => s.service === 'crm')).toHaveLength(2);
  });
});
