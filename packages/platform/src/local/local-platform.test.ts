import { rejection } from '@edge/testing';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Code, EdgeError } from '@edge/errors';
import { appInstKeyJson, clusterInstKeyJson } from '../keys';
import { RESOURCE_INSTANCES, RESOURCE_RAM } from '../resources';
import { describePlatformConformance, testConfig } from '../testing/conformance';
import { appInstSpec, clusterInst, port, resource } from '../testing/fixtures';
import { eventually, freePort, httpGet, tcpExchange, udpExchange } from '../testing/net';
import { recordingContext } from '../testing/op-context';
import { LocalPlatform, type LocalPlatformOptions } from './local-platform';
import { tcpOpen } from './ports';
import { isAlive } from './proc';

/** Every data dir of this file: afterAll kills whatever process groups they recorded. */
const dataDirs: string[] = [];

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'edge-local-'));
  dataDirs.push(dir);
  return dir;
}

async function started(dataDir: string, opts: LocalPlatformOptions = {}): Promise<LocalPlatform> {
  const p = new LocalPlatform(opts);
  await p.init(testConfig(dataDir), recordingContext());
  return p;
}

function pidOf(runtime: { containerIds: string[] } | undefined): number {
  const id = runtime?.containerIds[0] ?? '';
  expect(id).toMatch(/^pid-\d+$/);
  return Number(id.slice(4));
}

afterAll(() => {
  for (const dir of dataDirs) {
    const apps = join(dir, 'appinsts');
    for (const name of existsSync(apps) ? readdirSync(apps) : []) {
      try {
        process.kill(-Number(readFileSync(join(apps, name, 'pid'), 'utf8')), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

describePlatformConformance('local', () => started(newDataDir()));

describe('local platform', () => {
  describe('an instance of the built-in responder', () => {
    const dataDir = newDataDir();
    const ports = { http: 0, echo: 0, udp: 0 };
    let spec: ReturnType<typeof appInstSpec>;
    let platform: LocalPlatform;
    let pid = 0;

    beforeAll(async () => {
      ports.http = await freePort();
      ports.echo = await freePort();
      ports.udp = await freePort('udp');
      spec = appInstSpec('web', {
        ports: [port(ports.http), port(ports.echo), port(ports.udp, 'udp')],
        flavor: { ram: 1024n, vcpus: 1n, disk: 20n },
      });
      platform = await started(dataDir);
    });

    it('runs as a local process serving HTTP, TCP echo and UDP echo on its ports', async () => {
      const ctx = recordingContext();
      await platform.createAppInst(spec, ctx);
      expect(ctx.messages).toEqual(['task: Starting web', 'step: Waiting for ports', 'task: web is ready']);
      const res = await httpGet(ports.http, '/hello');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ app: 'web', port: ports.http });
      expect(await tcpExchange(ports.echo, 'hello\n')).toBe('hello\n');
      expect(await udpExchange(ports.udp, 'ping')).toBe('ping');

      const runtime = await platform.appInstRuntime(spec);
      pid = pidOf(runtime);
      expect(runtime?.uri).toBe('127.0.0.1');
      expect(await platform.listAppInsts()).toEqual([appInstKeyJson(spec.appInst.key)]);
      const snap = await platform.infraResources();
      expect([resource(snap, RESOURCE_INSTANCES), resource(snap, RESOURCE_RAM)]).toEqual([1n, 1024n]);
      const dir = readdirSync(join(dataDir, 'appinsts'));
      expect(dir).toHaveLength(1);
      const files = readdirSync(join(dataDir, 'appinsts', dir[0]!)).sort();
      expect(files).toEqual(['err.log', 'out.log', 'pid', 'spec.json']);
    });

    it('is re-adopted by a platform restarted on the same data dir', async () => {
      await platform.close();
      platform = await started(dataDir);
      expect(await platform.listAppInsts()).toEqual([appInstKeyJson(spec.appInst.key)]);
      expect(pidOf(await platform.appInstRuntime(spec))).toBe(pid);
      expect((await httpGet(ports.http)).status).toBe(200);
    });

    it('is no longer listed once killed from outside, and an update brings it back', async () => {
      process.kill(-pid, 'SIGKILL');
      await eventually(async () => (await platform.listAppInsts()).length === 0, 20_000, 'instance gone');
      expect((await platform.appInstRuntime(spec))?.containerIds).toEqual([]);
      await eventually(async () => !(await tcpOpen('127.0.0.1', ports.http)), 20_000, 'port closed');

      const ctx = recordingContext();
      await platform.updateAppInst(spec, ctx);
      expect(ctx.messages[0]).toBe('task: Restarting web');
      expect(await platform.listAppInsts()).toEqual([appInstKeyJson(spec.appInst.key)]);
      const newPid = pidOf(await platform.appInstRuntime(spec));
      expect(newPid).not.toBe(pid);
      pid = newPid;
      expect((await httpGet(ports.http)).status).toBe(200);
    });

    it('is stopped by delete: ports closed, process gone, files gone; deleting again succeeds', async () => {
      await platform.deleteAppInst(spec, recordingContext());
      expect(await tcpOpen('127.0.0.1', ports.http)).toBe(false);
      expect(isAlive(pid, undefined)).toBe(false);
      expect(readdirSync(join(dataDir, 'appinsts'))).toEqual([]);
      expect(await platform.listAppInsts()).toEqual([]);
      await platform.deleteAppInst(spec, recordingContext());
    });
  });

  describe('an App with a command', () => {
    let dataDir: string;
    let platform: LocalPlatform;
    beforeEach(async () => {
      dataDir = newDataDir();
      platform = await started(dataDir, { portWaitMs: 30_000 });
    });

    it('runs the command with PORT, PORTS and HOST', async () => {
      const p = await freePort();
      const server =
        "require('net').createServer((s) => s.end('hi ' + process.env.PORTS))" +
        '.listen(Number(process.env.PORT), process.env.HOST)';
      const spec = appInstSpec('cmd', { ports: [port(p)], command: `"${process.execPath}" -e "${server}"` });
      await platform.createAppInst(spec, recordingContext());
      expect(await tcpExchange(p, '')).toBe(`hi ${p}`);
      const pid = pidOf(await platform.appInstRuntime(spec));
      await platform.deleteAppInst(spec, recordingContext());
      expect(await tcpOpen('127.0.0.1', p)).toBe(false);
      expect(isAlive(pid, undefined)).toBe(false);
    });

    it('fails with the stderr tail when the command exits early, leaving nothing behind', async () => {
      const spec = appInstSpec('bad', {
        ports: [port(await freePort())],
        command: 'echo starting; echo boom >&2; exit 3',
      });
      const err = await rejection(platform.createAppInst(spec, recordingContext()));
      expect([err.code, err.message]).toEqual([Code.UNKNOWN, 'bad exited with code 3: boom']);
      expect(await platform.listAppInsts()).toEqual([]);
      expect(readdirSync(join(dataDir, 'appinsts'))).toEqual([]);
    });

    it('fails when a port does not open in time, and stops the process', async () => {
      const quick = await started(dataDir, { portWaitMs: 1000 });
      const p = await freePort();
      const spec = appInstSpec('slow', { ports: [port(p)], command: 'sleep 60' });
      const err = await rejection(quick.createAppInst(spec, recordingContext()));
      expect([err.code, err.message]).toEqual([Code.DEADLINE_EXCEEDED, `port ${p} did not open within 1s`]);
      expect(readdirSync(join(dataDir, 'appinsts'))).toEqual([]);
    });

    it('stops waiting when the operation is aborted', async () => {
      const spec = appInstSpec('slow', { ports: [port(await freePort())], command: 'sleep 60' });
      const ctx = recordingContext();
      const creating = rejection(platform.createAppInst(spec, ctx));
      await eventually(() => ctx.messages.includes('step: Waiting for ports'), 20_000, 'waiting step');
      ctx.abort(new EdgeError(Code.DEADLINE_EXCEEDED, 'Create AppInst timed out'));
      expect((await creating).message).toBe('Create AppInst timed out');
      expect(readdirSync(join(dataDir, 'appinsts'))).toEqual([]);
    });

    it('refuses a port that something else already serves', async () => {
      const server: Server = createServer();
      const p = await freePort();
      await new Promise<void>((r) => server.listen(p, '127.0.0.1', r));
      try {
        const spec = appInstSpec('clash', { ports: [port(p)] });
        const err = await rejection(platform.createAppInst(spec, recordingContext()));
        expect([err.code, err.message]).toEqual([
          Code.FAILED_PRECONDITION,
          `port ${p} is already in use on 127.0.0.1`,
        ]);
      } finally {
        await new Promise((r) => server.close(r));
      }
    });
  });

  it('keeps ClusterInsts as records that a restarted platform lists', async () => {
    const dataDir = newDataDir();
    const p = await started(dataDir);
    const ci = clusterInst('c1');
    await p.createClusterInst(ci, recordingContext());
    expect(readdirSync(join(dataDir, 'clusters'))).toEqual([expect.stringMatching(/^c1-dev-[0-9a-f]{8}$/)]);
    const again = await started(dataDir);
    expect(await again.listClusterInsts()).toEqual([clusterInstKeyJson(ci.key)]);
    expect((await again.infraResources()).clusterInsts.map((k) => k.clusterKey?.name)).toEqual(['c1']);
  });

  it('reports the x1 flavors capped to this host and the host as limits', async () => {
    const p = await started(newDataDir());
    const info = await p.gatherCloudletInfo(recordingContext());
    const ramMb = BigInt(Math.floor(totalmem() / 1024 / 1024));
    expect(info.flavors.map((f) => f.name)).toEqual(['x1.tiny', 'x1.small', 'x1.medium', 'x1.large']);
    for (const f of info.flavors) {
      expect(f.vcpus <= BigInt(cpus().length) && f.ram <= ramMb && f.disk <= info.osMaxVolGb).toBe(true);
    }
    expect([info.osMaxRam, info.osMaxVcores]).toEqual([ramMb, BigInt(cpus().length)]);
    expect(info.osMaxVolGb > 0n).toBe(true);
  });

  it('refuses to work before init', async () => {
    const err = await rejection(new LocalPlatform().listAppInsts());
    expect([err.code, err.message]).toEqual([Code.FAILED_PRECONDITION, 'local platform is not initialized']);
  });
});
