/**
 * A region for the cloudlet-tier tests: a Controller on real etcd (metrics to real
 * InfluxDB) with its access API, whose LocalCloudlets supervisor starts real CRM and
 * Shepherd processes for `local` cloudlets, as dev mode does.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { connect } from 'node:net';
import { silentLogger } from '@edge/log';
import { edgeproto } from '@edge/proto';
import { uniqueName, type TestServers } from '@edge/testing';
import {
  serveAccessApi,
  type ServedAccessApi,
} from '../services/controller/src/access/testing/serve-access-api';
import {
  LocalCloudlets,
  secondaryAccessKeyWriter,
  sourceTreeLauncher,
} from '../services/controller/src/local-crm';
import { startController, type ControllerHarness } from '../services/controller/src/testing/harness';

export { collect } from '../services/controller/src/testing/harness';
export { outcome, waitFor } from '../services/crm/src/testing/crm-world';

export class CloudletWorld {
  readonly region = uniqueName('tier');
  readonly dir = mkdtempSync(join(tmpdir(), 'cloudlet-tier-'));
  h!: ControllerHarness;
  access!: ServedAccessApi;
  local: LocalCloudlets | undefined;
  private notifyPort = 0;

  constructor(private readonly servers: TestServers) {}

  /** Starts the Controller (on the notify port of the previous one, after a restart). */
  async startController(): Promise<void> {
    this.h = await startController({
      etcd: this.servers.etcd,
      region: this.region,
      influxAddr: this.servers.influx,
      ...(this.notifyPort ? { notifyPort: this.notifyPort } : {}),
    });
    this.notifyPort = Number(this.h.notifyAddress.split(':')[1]);
    this.access = await serveAccessApi(this.h);
  }

  /** The Controller and the supervisor of its local cloudlets. */
  async start(): Promise<this> {
    await this.startController();
    this.local = new LocalCloudlets({
      cloudlets: this.h.ctrl.cache.type<edgeproto.Cloudlet>('Cloudlet'),
      registerAccessKey: secondaryAccessKeyWriter(this.h.reg, this.h.ctrl.store),
      region: this.region,
      notifyAddr: this.h.notifyAddress,
      accessApiAddr: this.access.address,
      dataDir: this.dir,
      launch: sourceTreeLauncher(),
      log: silentLogger(),
      restart: { minMs: 200, maxMs: 2000, stableMs: 60_000 },
    });
    this.local.start();
    return this;
  }

  /** Stops the Controller only: the cloudlet processes keep running. */
  async stopController(): Promise<void> {
    await this.access.close();
    await this.h.close();
  }

  async close(): Promise<void> {
    await this.local?.stop();
    for (const pid of this.instancePids()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await this.access.close().catch(() => {});
    await this.h.close().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Pids of the app instance processes the local platforms of this world started and still record. */
  instancePids(): number[] {
    const pids: number[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'pid' && d.includes(`${sep}appinsts${sep}`))
          pids.push(Number(readFileSync(p, 'utf8')));
      }
    };
    walk(this.dir);
    return pids.filter((n) => n > 0);
  }

  /** Short Shepherd intervals, so health checks and metrics show within seconds. */
  async fastShepherd(): Promise<void> {
    await this.h.client(edgeproto.SettingsApi).updateSettings({
      shepherdHealthCheckInterval: 500_000_000n,
      shepherdHealthCheckRetries: 2,
      shepherdMetricsCollectionInterval: 1_000_000_000n,
      fields: [
        'shepherd_health_check_interval',
        'shepherd_health_check_retries',
        'shepherd_metrics_collection_interval',
      ],
    });
  }

  /** InfluxDB query on database `metrics`; the series' rows. */
  async influx(q: string): Promise<unknown[][]> {
    const url = `${this.servers.influx}/query?db=metrics&q=${encodeURIComponent(q)}`;
    const body = (await (await fetch(url)).json()) as {
      results?: { series?: { values?: unknown[][] }[] }[];
    };
    return body.results?.[0]?.series?.[0]?.values ?? [];
  }
}

/** Whether 127.0.0.1:`port` accepts a TCP connection. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(2000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Whether process `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
