import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import { edgeproto } from '@edge/proto';
import type { CacheChange, TypeCache } from '@edge/store';
import { cloudletKeyJson, generateAccessKeyPair } from '../access';
import { SupervisedProcess, type ProcessSpec, type RestartPolicy } from './supervised-process';

/** The cloudlet services a Controller runs on its own host. */
export type LocalService = 'crm' | 'shepherd';

/** How to start a service: the command and the arguments before the service's flags. */
export type Launcher = (service: LocalService) => { command: string; args: string[]; cwd?: string };

export interface LocalCloudletsDeps {
  readonly cloudlets: TypeCache<edgeproto.Cloudlet>;
  /** Stores `publicPem` as the cloudlet's secondary access key (no upgrade required). */
  registerAccessKey(key: edgeproto.CloudletKey, publicPem: string): Promise<void>;
  readonly region: string;
  /** Where the CRMs reach this Controller's notify server and access API. */
  readonly notifyAddr: string;
  readonly accessApiAddr: string;
  /** Per-cloudlet directories (keys, logs, the CRM's data) go under `<dataDir>/cloudlets/`. */
  readonly dataDir: string;
  readonly launch: Launcher;
  readonly log: Logger;
  readonly restart?: RestartPolicy;
}

/** Platforms whose cloudlet services run on the Controller's host (the original's deployment_local). */
const LOCAL_PLATFORMS = new Set<edgeproto.PlatformType>([
  edgeproto.PlatformType.FAKE,
  edgeproto.PlatformType.FAKE_SINGLE_CLUSTER,
  edgeproto.PlatformType.LOCAL,
]);

export function runsLocally(c: edgeproto.Cloudlet): boolean {
  return c.deploymentLocal || LOCAL_PLATFORMS.has(c.platformType);
}

interface Running {
  readonly dir: string;
  readonly processes: SupervisedProcess[];
}

/**
 * Starts a CRM and a Shepherd as child processes for every cloudlet that runs locally,
 * when it appears in the region cache, and stops them when it is deleted: creating such a
 * cloudlet through the API is enough to bring it up. Each start gets a fresh access key
 * (its public half in the cloudlet's secondary slot, so the key shown to the creator stays
 * valid) and a free port for the CRM's notify server. Crashed processes are restarted with
 * backoff; processes left over from an earlier Controller run are stopped first.
 */
export class LocalCloudlets {
  private readonly running = new Map<string, Promise<Running | undefined>>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: LocalCloudletsDeps) {}

  start(): void {
    this.unsubscribe = this.deps.cloudlets.onChange((c) => this.changed(c));
    for (const c of this.deps.cloudlets.list()) if (runsLocally(c)) this.ensure(c);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await Promise.all([...this.running.keys()].map((k) => this.remove(k)));
  }

  /** Pids of a cloudlet's processes (for tests and status). */
  async pids(keyJson: string): Promise<{ crm?: number; shepherd?: number }> {
    const r = await this.running.get(keyJson);
    const [crm, shepherd] = r?.processes ?? [];
    return {
      ...(crm?.pid !== undefined ? { crm: crm.pid } : {}),
      ...(shepherd?.pid !== undefined ? { shepherd: shepherd.pid } : {}),
    };
  }

  private changed(c: CacheChange<edgeproto.Cloudlet>): void {
    if (c.type === 'delete' || !c.obj || !runsLocally(c.obj)) {
      if (this.running.has(c.keyJson)) void this.remove(c.keyJson);
      return;
    }
    this.ensure(c.obj);
  }

  private ensure(c: edgeproto.Cloudlet): void {
    const keyJson = cloudletKeyJson(c.key ?? {});
    if (this.stopped || this.running.has(keyJson)) return;
    this.running.set(
      keyJson,
      this.launch(c, keyJson).catch((err: unknown) => {
        this.deps.log.error({ err, cloudlet: keyJson }, 'starting local cloudlet services failed');
        return undefined;
      }),
    );
  }

  private async remove(keyJson: string): Promise<void> {
    const r = await this.running.get(keyJson);
    this.running.delete(keyJson);
    if (!r) return;
    await Promise.all(r.processes.map((p) => p.stop()));
    rmSync(join(r.dir, 'pids'), { force: true });
    this.deps.log.info({ cloudlet: keyJson }, 'local cloudlet services stopped');
  }

  private async launch(c: edgeproto.Cloudlet, keyJson: string): Promise<Running> {
    const { deps } = this;
    const key = c.key ?? create(edgeproto.CloudletKeySchema);
    const dir = join(deps.dataDir, 'cloudlets', dirName(c.key));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    stopLeftovers(join(dir, 'pids'), deps.log);
    const pair = generateAccessKeyPair();
    await deps.registerAccessKey(key, pair.publicPem);
    const keyFile = join(dir, 'access-key.pem');
    writeFileSync(keyFile, pair.privatePem, { mode: 0o600 });
    const port = await freePort();
    const common = [`--cloudletKey=${keyJson}`, `--region=${deps.region}`, `--accessKeyFile=${keyFile}`];
    const platform = c.platformType === edgeproto.PlatformType.LOCAL ? 'local' : 'fake';
    const spec = (service: LocalService, flags: string[]): ProcessSpec => {
      const l = deps.launch(service);
      return {
        name: `${service} ${keyJson}`,
        command: l.command,
        args: [...l.args, ...common, ...flags],
        ...(l.cwd ? { cwd: l.cwd } : {}),
        logFile: join(dir, `${service}.log`),
      };
    };
    const processes = [
      spec('crm', [
        `--notifyAddrs=${deps.notifyAddr}`,
        `--accessApiAddr=${deps.accessApiAddr}`,
        `--notifySrvAddr=127.0.0.1:${port}`,
        `--dataDir=${join(dir, 'crm')}`,
      ]),
      spec('shepherd', [`--notifyAddrs=127.0.0.1:${port}`, `--platform=${platform}`]),
    ].map((s) => new SupervisedProcess(s, deps.log, deps.restart));
    for (const p of processes) p.start();
    writeFileSync(join(dir, 'pids'), processes.map((p) => p.pid ?? '').join('\n'));
    deps.log.info({ cloudlet: keyJson, dir, notifySrvPort: port }, 'local cloudlet services started');
    return { dir, processes };
  }
}

function dirName(key: edgeproto.CloudletKey | undefined): string {
  const safe = (s: string): string => s.replace(/[^\w.-]/g, '_');
  return `${safe(key?.organization ?? '')}__${safe(key?.name ?? '')}`;
}

/** Stops processes an earlier Controller run started for this cloudlet (pids it recorded). */
function stopLeftovers(pidFile: string, log: Logger): void {
  let text: string;
  try {
    text = readFileSync(pidFile, 'utf8');
  } catch {
    return;
  }
  for (const pid of text
    .split('\n')
    .map(Number)
    .filter((n) => n > 0)) {
    try {
      // Only a process still running one of our services (pids get reused).
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--cloudletKey=')) continue;
      process.kill(pid, 'SIGTERM');
      log.info({ pid }, 'stopped a local cloudlet process left by an earlier run');
    } catch {
      // gone already
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
