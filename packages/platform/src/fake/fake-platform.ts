/**
 * The fake platform (the original's platform/fake): an in-memory, deterministic cloudlet
 * for unit tests, e2e tests and benchmarks. Operations report the original's progress
 * messages, can be slowed down or made to fail (`FakeControls`), and account resources
 * from what was created, starting with the platform VM and shared rootLB.
 */
import { clone, create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import { sleep } from '../abort';
import { FAKE_FLAVOR_LIST, ROOT_LB_FLAVOR, flavorInfo, flavorUsage } from '../flavors';
import { platformFeatures } from '../features';
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
  RESOURCE_EXTERNAL_IPS,
  RESOURCE_INSTANCES,
  RESOURCE_RAM,
  RESOURCE_VCPUS,
  infraResource,
} from '../resources';
import { FakeControls, type FakeDelays, type FakeFailures, type FakeOp } from './fake-controls';
import { FakeInfra } from './fake-infra';
import { fakeLimits, type FakeLimits } from './fake-limits';

export interface FakePlatformOptions {
  /** FAKE (default) or another fake variant, e.g. FAKE_SINGLE_CLUSTER: decides `features()`. */
  readonly type?: edgeproto.PlatformType;
  readonly delays?: FakeDelays;
  readonly failures?: FakeFailures;
  /** A handle to change delays and failures at run time; `delays`/`failures` are merged into it. */
  readonly controls?: FakeControls;
  /** Infrastructure limits; default the original's (40960 MB, 50 vCPUs, 5000 GB, 30 external IPs). */
  readonly limits?: Partial<FakeLimits>;
  /** The "infrastructure" itself: pass the same object to a new platform to simulate a CRM restart. */
  readonly infra?: FakeInfra;
}

/** The original fake's platform VMs: they use an x1.small each and the rootLB one external IP. */
const PLATFORM_VMS = [
  { name: 'fake-platform-vm', type: NODE_TYPE.platformVm, ip: '10.101.100.10' },
  { name: 'fake-rootlb-vm', type: NODE_TYPE.dedicatedRootLb, ip: '10.101.100.11' },
];

export class FakePlatform implements Platform {
  readonly type: edgeproto.PlatformType;
  /** Delays and failures, changeable at any time. */
  readonly controls: FakeControls;
  /** What has been created. */
  readonly infra: FakeInfra;
  private limits: FakeLimits;
  private readonly limitOverrides: Partial<FakeLimits>;

  constructor(opts: FakePlatformOptions = {}) {
    this.type = opts.type ?? edgeproto.PlatformType.FAKE;
    this.controls = opts.controls ?? new FakeControls();
    this.controls.set({
      ...(opts.delays ? { delays: opts.delays } : {}),
      ...(opts.failures ? { failures: opts.failures } : {}),
    });
    this.infra = opts.infra ?? new FakeInfra();
    this.limitOverrides = opts.limits ?? {};
    this.limits = fakeLimits({}, this.limitOverrides);
  }

  features(): PlatformFeatures {
    return platformFeatures(this.type);
  }

  async init(config: PlatformConfig, ctx: OpContext): Promise<void> {
    await this.run('init', ctx);
    // Like the original, limits can be set per cloudlet through env vars (FAKE_RAM_MAX…).
    this.limits = fakeLimits(config.envVars, this.limitOverrides);
    const failCreate = config.envVars['FAKE_PLATFORM_APPINST_CREATE_FAIL'];
    if (failCreate) this.controls.setFailure('createAppInst', 'FAKE_PLATFORM_APPINST_CREATE_FAIL');
    ctx.progress.task('Done initializing fake platform');
  }

  async gatherCloudletInfo(ctx: OpContext): Promise<CloudletInfoReport> {
    await this.run('gatherCloudletInfo', ctx);
    return {
      flavors: FAKE_FLAVOR_LIST.map(flavorInfo),
      availabilityZones: [create(edgeproto.OSAZoneSchema, { name: 'fake-az', status: 'available' })],
      osImages: [
        create(edgeproto.OSImageSchema, { name: 'fake-base-image', tags: 'fake', diskFormat: 'qcow2' }),
      ],
      osMaxRam: BigInt(this.limits.ramMb),
      osMaxVcores: BigInt(this.limits.vcpus),
      osMaxVolGb: BigInt(this.limits.diskGb),
    };
  }

  async infraResources(): Promise<edgeproto.InfraResourcesSnapshot> {
    const used = FakeInfra.usage(this.infra.allVms());
    const platform = flavorUsage(ROOT_LB_FLAVOR);
    const refs = this.infra.refKeys();
    const n = BigInt(PLATFORM_VMS.length);
    return create(edgeproto.InfraResourcesSnapshotSchema, {
      platformVms: PLATFORM_VMS.map((v) =>
        create(edgeproto.VmInfoSchema, {
          name: v.name,
          type: v.type,
          infraFlavor: 'x1.small',
          status: 'ACTIVE',
          ipaddresses: [{ externalIp: v.ip }],
        }),
      ),
      info: [
        infraResource(RESOURCE_RAM, used.ram + n * platform.ram, this.limits.ramMb, RAM_UNITS),
        infraResource(RESOURCE_VCPUS, used.vcpus + n * platform.vcpus, this.limits.vcpus),
        infraResource(RESOURCE_DISK, used.disk + n * platform.disk, this.limits.diskGb, DISK_UNITS),
        infraResource(RESOURCE_EXTERNAL_IPS, used.externalIps + 1, this.limits.externalIps),
        infraResource(RESOURCE_INSTANCES, used.instances + PLATFORM_VMS.length),
      ],
      clusterInsts: refs.clusters,
      vmAppInsts: refs.vmApps,
      k8sAppInsts: refs.k8sApps,
    });
  }

  async createClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void> {
    ctx.progress.task('First Create Task');
    await this.run('createClusterInst', ctx);
    ctx.progress.task('Second Create Task');
    this.infra.addCluster(clusterInst);
  }

  async updateClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void> {
    ctx.progress.task('Updating Cluster Inst');
    await this.run('updateClusterInst', ctx);
    if (!this.infra.updateCluster(clusterInst)) this.infra.addCluster(clusterInst);
  }

  async deleteClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void> {
    ctx.progress.task('First Delete Task');
    await this.run('deleteClusterInst', ctx);
    ctx.progress.task('Second Delete Task');
    this.infra.clusters.delete(clusterInstKeyJson(clusterInst.key));
  }

  async clusterResources(key: edgeproto.ClusterInstKey): Promise<edgeproto.InfraResources | undefined> {
    const vms = this.infra.clusterVms(key);
    return (
      vms && create(edgeproto.InfraResourcesSchema, { vms: vms.map((v) => clone(edgeproto.VmInfoSchema, v)) })
    );
  }

  async createAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void> {
    ctx.progress.task('Creating App Inst');
    await this.run('createAppInst', ctx);
    this.infra.addAppInst(spec);
  }

  async updateAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void> {
    ctx.progress.task('fake appInst updated');
    await this.run('updateAppInst', ctx);
    if (!this.infra.appInst(spec.appInst.key)) this.infra.addAppInst(spec);
  }

  async deleteAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void> {
    ctx.progress.task('First Delete Task');
    await this.run('deleteAppInst', ctx);
    ctx.progress.task('Second Delete Task');
    this.infra.appInsts.delete(appInstKeyJson(spec.appInst.key));
  }

  async appInstRuntime(spec: AppInstSpec): Promise<AppInstRuntimeReport | undefined> {
    const a = this.infra.appInst(spec.appInst.key);
    return a && { containerIds: [...a.containerIds] };
  }

  async listClusterInsts(): Promise<string[]> {
    return [...this.infra.clusters.keys()].sort();
  }

  async listAppInsts(): Promise<string[]> {
    return [...this.infra.appInsts.keys()].sort();
  }

  /** The command as given (the original's fake runs nothing: it echoes the request). */
  async containerCommand(_spec: AppInstSpec, command: string): Promise<string | undefined> {
    return command;
  }

  async consoleUrl(spec: AppInstSpec): Promise<string | undefined> {
    const label = spec.appInst.dnsLabel || spec.app.key?.name || 'app';
    return `https://console.fake.net/${encodeURIComponent(label)}?token=xyz`;
  }

  async close(): Promise<void> {}

  /** The configured delay of `op` (bounded by the op's signal), then its injected failure if any. */
  private async run(op: FakeOp, ctx: OpContext): Promise<void> {
    const ms = this.controls.delayOf(op);
    if (ms > 0) await sleep(ms, ctx.signal, op);
    const failure = this.controls.failureOf(op);
    if (failure) throw failure;
  }
}
