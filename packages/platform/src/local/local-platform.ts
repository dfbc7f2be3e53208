/**
 * The local platform (dev mode default): deploys on this host. A ClusterInst is a record
 * on disk; an AppInst is a real process listening on its mapped ports — the App's command,
 * or the built-in responder — detached so it keeps serving while the CRM is down, and
 * found again from its files by a restarted CRM.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { create, fromJsonString } from '@bufbuild/protobuf';
import { failedPrecondition } from '@edge/errors';
import type { Logger } from '@edge/log';
import { edgeproto } from '@edge/proto';
import { platformFeatures } from '../features';
import { flavorInfo } from '../flavors';
import { appInstKeyJson, clusterInstKeyJson } from '../keys';
import type {
  AppInstRuntimeReport,
  AppInstSpec,
  CloudletInfoReport,
  OpContext,
  Platform,
  PlatformConfig,
  PlatformFeatures,
} from '../platform';
import {
  DISK_UNITS,
  NODE_TYPE,
  RAM_UNITS,
  RESOURCE_DISK,
  RESOURCE_INSTANCES,
  RESOURCE_RAM,
  RESOURCE_VCPUS,
  infraResource,
} from '../resources';
import {
  instanceAlive,
  startInstance,
  stopInstance,
  type InstanceSpec,
  type ProcessOptions,
} from './app-process';
import { hostFlavors, hostLimits } from './host';
import { publicPorts } from './ports';
import { RecordStore, recordName, type AppInstRecord, type ClusterRecord } from './records';

export interface LocalPlatformOptions {
  /** Address the instances listen on; default 127.0.0.1. */
  readonly bindHost?: string;
  /** How long a new instance may take to open its ports; default 20 s. */
  readonly portWaitMs?: number;
  /** How long an instance may take to exit after SIGTERM; default 5 s. */
  readonly stopGraceMs?: number;
  /** The responder script; default the `responder.cjs` beside this file. */
  readonly responderPath?: string;
}

interface Ready {
  readonly store: RecordStore;
  readonly dataDir: string;
  readonly log: Logger;
}

export class LocalPlatform implements Platform {
  readonly type = edgeproto.PlatformType.LOCAL;
  private readonly procOpts: ProcessOptions;
  private ready: Ready | undefined;

  constructor(opts: LocalPlatformOptions = {}) {
    this.procOpts = {
      bindHost: opts.bindHost ?? '127.0.0.1',
      portWaitMs: opts.portWaitMs ?? 20_000,
      stopGraceMs: opts.stopGraceMs ?? 5_000,
      pollMs: 100,
      responderPath: opts.responderPath ?? join(__dirname, 'responder.cjs'),
    };
  }

  features(): PlatformFeatures {
    return platformFeatures(this.type);
  }

  async init(config: PlatformConfig, ctx: OpContext): Promise<void> {
    ctx.progress.task('Initializing local platform');
    for (const kind of ['clusters', 'appinsts']) mkdirSync(join(config.dataDir, kind), { recursive: true });
    const store = new RecordStore(config.dataDir);
    this.ready = { store, dataDir: config.dataDir, log: config.log.child({ platform: 'local' }) };
    const running = store.names('appinsts').filter((n) => this.aliveRecord(n) !== undefined);
    this.ready.log.info({ dataDir: config.dataDir, running: running.length }, 'local platform ready');
  }

  async gatherCloudletInfo(_ctx: OpContext): Promise<CloudletInfoReport> {
    const limits = hostLimits(this.state().dataDir);
    return {
      flavors: hostFlavors(limits).map(flavorInfo),
      availabilityZones: [create(edgeproto.OSAZoneSchema, { name: 'local', status: 'available' })],
      osImages: [],
      osMaxRam: BigInt(limits.ramMb),
      osMaxVcores: BigInt(limits.vcpus),
      osMaxVolGb: BigInt(limits.diskGb),
      properties: { host: hostname(), bindHost: this.procOpts.bindHost },
    };
  }

  async infraResources(): Promise<edgeproto.InfraResourcesSnapshot> {
    const { store, dataDir } = this.state();
    const limits = hostLimits(dataDir);
    const running = this.runningRecords();
    const used = { ram: 0, vcpus: 0, disk: 0 };
    for (const r of running) {
      used.ram += r.flavor.ram;
      used.vcpus += r.flavor.vcpus;
      used.disk += r.flavor.disk;
    }
    const clusters = store.names('clusters').flatMap((n) => {
      const rec = store.readCluster(n);
      return rec ? [clusterRefKey(rec.keyJson)] : [];
    });
    return create(edgeproto.InfraResourcesSnapshotSchema, {
      platformVms: [
        {
          name: hostname(),
          type: NODE_TYPE.platformVm,
          status: 'ACTIVE',
          ipaddresses: [{ externalIp: this.procOpts.bindHost, internalIp: this.procOpts.bindHost }],
        },
      ],
      info: [
        infraResource(RESOURCE_RAM, used.ram, limits.ramMb, RAM_UNITS),
        infraResource(RESOURCE_VCPUS, used.vcpus, limits.vcpus),
        infraResource(RESOURCE_DISK, used.disk, limits.diskGb, DISK_UNITS),
        infraResource(RESOURCE_INSTANCES, running.length),
      ],
      clusterInsts: clusters,
    });
  }

  async createClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void> {
    ctx.progress.task('Creating local cluster');
    this.writeCluster(clusterInst);
  }

  async updateClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void> {
    ctx.progress.task('Updating local cluster');
    this.writeCluster(clusterInst);
  }

  async deleteClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void> {
    ctx.progress.task('Deleting local cluster');
    this.state().store.remove('clusters', clusterName(clusterInst.key));
  }

  async clusterResources(key: edgeproto.ClusterInstKey): Promise<edgeproto.InfraResources | undefined> {
    const rec = this.state().store.readCluster(clusterName(key));
    if (!rec) return undefined;
    const type = rec.deployment === 'kubernetes' ? NODE_TYPE.clusterK8sNode : NODE_TYPE.clusterDockerNode;
    return create(edgeproto.InfraResourcesSchema, {
      vms: [{ name: hostname(), type, status: 'ACTIVE', infraFlavor: rec.nodeFlavor }],
    });
  }

  async createAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void> {
    const inst = instanceSpec(spec);
    ctx.progress.task(`Starting ${inst.app}`);
    await this.stopIfPresent(inst.name, ctx);
    await startInstance(this.state().store, inst, this.procOpts, this.opCtx(ctx));
    ctx.progress.task(`${inst.app} is ready`);
  }

  /** Restarts the process with the current spec: also how a refresh revives an instance that died. */
  async updateAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void> {
    const inst = instanceSpec(spec);
    ctx.progress.task(`Restarting ${inst.app}`);
    await this.stopIfPresent(inst.name, ctx);
    await startInstance(this.state().store, inst, this.procOpts, this.opCtx(ctx));
    ctx.progress.task(`${inst.app} is ready`);
  }

  async deleteAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void> {
    const inst = instanceSpec(spec);
    ctx.progress.task(`Stopping ${inst.app}`);
    await this.stopIfPresent(inst.name, ctx);
    this.state().store.remove('appinsts', inst.name);
  }

  async appInstRuntime(spec: AppInstSpec): Promise<AppInstRuntimeReport | undefined> {
    const rec = this.state().store.readAppInst(appInstName(spec.appInst.key));
    if (!rec) return undefined;
    const containerIds = instanceAlive(rec) ? [`pid-${rec.pid}`] : [];
    return { containerIds, uri: rec.bindHost };
  }

  async listClusterInsts(): Promise<string[]> {
    const { store } = this.state();
    return store
      .names('clusters')
      .flatMap((n) => store.readCluster(n)?.keyJson ?? [])
      .sort();
  }

  /** AppInsts whose process runs now; instances whose process died are not listed. */
  async listAppInsts(): Promise<string[]> {
    return this.runningRecords()
      .map((r) => r.keyJson)
      .sort();
  }

  /** The command, run in the instance's directory (where its `out.log`/`err.log` are). */
  async containerCommand(spec: AppInstSpec, command: string): Promise<string | undefined> {
    const dir = this.state().store.dir('appinsts', appInstName(spec.appInst.key));
    return `cd '${dir.replace(/'/g, `'\\''`)}' && ${command}`;
  }

  /** Nothing to stop: the instances keep running without the CRM. */
  async close(): Promise<void> {}

  private state(): Ready {
    if (!this.ready) throw failedPrecondition('local platform is not initialized');
    return this.ready;
  }

  private opCtx(ctx: OpContext): OpContext {
    return { ...ctx, log: ctx.log.child({ platform: 'local' }) };
  }

  private writeCluster(ci: edgeproto.ClusterInst): void {
    const name = clusterName(ci.key);
    const rec: ClusterRecord = {
      keyJson: clusterInstKeyJson(ci.key),
      name,
      deployment: ci.deployment,
      numNodes: ci.numNodes,
      nodeFlavor: ci.nodeFlavor,
      createdAt: this.state().store.readCluster(name)?.createdAt ?? new Date().toISOString(),
    };
    this.state().store.write('clusters', name, rec);
  }

  private async stopIfPresent(name: string, ctx: OpContext): Promise<void> {
    const rec = this.state().store.readAppInst(name);
    if (!rec) return;
    if (rec.ports.length > 0) ctx.progress.step('Waiting for ports to close');
    await stopInstance(rec, this.procOpts, this.state().log);
  }

  private aliveRecord(name: string): AppInstRecord | undefined {
    const rec = this.state().store.readAppInst(name);
    return rec && instanceAlive(rec) ? rec : undefined;
  }

  private runningRecords(): AppInstRecord[] {
    return this.state()
      .store.names('appinsts')
      .flatMap((n) => this.aliveRecord(n) ?? []);
  }
}

function clusterName(key: edgeproto.ClusterInstKey | undefined): string {
  return recordName([key?.clusterKey?.name ?? '', key?.organization ?? ''], clusterInstKeyJson(key));
}

function appInstName(key: edgeproto.AppInstKey | undefined): string {
  const a = key?.appKey;
  const c = key?.clusterInstKey;
  return recordName(
    [
      a?.organization ?? '',
      a?.name ?? '',
      a?.version ?? '',
      c?.clusterKey?.name ?? '',
      c?.organization ?? '',
    ],
    appInstKeyJson(key),
  );
}

function instanceSpec(spec: AppInstSpec): InstanceSpec {
  const f = spec.flavor;
  return {
    keyJson: appInstKeyJson(spec.appInst.key),
    name: appInstName(spec.appInst.key),
    app: spec.app.key?.name || spec.appInst.key?.appKey?.name || 'app',
    ...(spec.app.command ? { command: spec.app.command } : {}),
    ports: publicPorts(spec.appInst),
    flavor: { ram: Number(f?.ram ?? 0n), vcpus: Number(f?.vcpus ?? 0n), disk: Number(f?.disk ?? 0n) },
  };
}

function clusterRefKey(keyJson: string): edgeproto.ClusterInstRefKey {
  const key = fromJsonString(edgeproto.ClusterInstKeySchema, keyJson);
  return create(edgeproto.ClusterInstRefKeySchema, {
    ...(key.clusterKey ? { clusterKey: key.clusterKey } : {}),
    organization: key.organization,
  });
}
