/**
 * The platform plugin interface of a CRM: what the cloudlet tier asks of the infrastructure
 * under a cloudlet (the original's platform.Platform, reduced to what the product uses).
 * Implementations: `fake` (in memory), `local` (processes on this host); OpenStack, vSphere
 * and AWS later. Every method may throw an EdgeError; long operations report progress
 * through `progress` and stop early when `signal` aborts (the operation's time limit).
 */
import type { edgeproto } from '@edge/proto';
import type { Logger } from '@edge/log';

/** What a platform can do; the Controller validates requests against these. */
export interface PlatformFeatures {
  readonly isFake: boolean;
  readonly cloudletServicesLocal: boolean;
  readonly ipAllocatedPerService: boolean;
  readonly kubernetesRequiresWorkerNodes: boolean;
  readonly supportsKubernetesOnly: boolean;
  readonly isSingleKubernetesCluster: boolean;
  readonly supportsMultiTenantCluster: boolean;
  readonly supportsSharedVolume: boolean;
  readonly supportsAdditionalNetworks: boolean;
  readonly supportsAppInstDedicatedIp: boolean;
}

/**
 * Progress of one operation: `task` starts a numbered task ("Creating cluster"), `step`
 * refines the current one ("Waiting for port 443"). The CRM turns them into the Info
 * object's StatusInfo, which the Controller streams to the caller.
 */
export interface Progress {
  task(text: string): void;
  step(text: string): void;
}

/** Context of one platform operation. */
export interface OpContext {
  readonly progress: Progress;
  /** Aborted when the operation's time limit passes or the CRM stops. */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** What `init` is given (the original's PlatformConfig, reduced). */
export interface PlatformConfig {
  readonly cloudlet: edgeproto.Cloudlet;
  readonly region: string;
  /** A directory the platform may keep files in across restarts. */
  readonly dataDir: string;
  /** Cloudlet env vars (Cloudlet.env_var plus the CRM's own). */
  readonly envVars: Readonly<Record<string, string>>;
  /** DNS suffix for app URIs (the original's appDNSRoot). */
  readonly appDnsRoot: string;
  readonly log: Logger;
}

/** What `gatherCloudletInfo` reports (copied into CloudletInfo). */
export interface CloudletInfoReport {
  readonly flavors: edgeproto.FlavorInfo[];
  readonly availabilityZones: edgeproto.OSAZone[];
  readonly osImages: edgeproto.OSImage[];
  readonly osMaxRam: bigint;
  readonly osMaxVcores: bigint;
  readonly osMaxVolGb: bigint;
  readonly properties?: Record<string, string>;
}

/** Everything the platform needs to deploy one AppInst. */
export interface AppInstSpec {
  readonly appInst: edgeproto.AppInst;
  readonly app: edgeproto.App;
  /** The cluster it goes into (undefined for VM apps and apps without a cluster). */
  readonly clusterInst: edgeproto.ClusterInst | undefined;
  /** The resolved platform flavor, when known. */
  readonly flavor: edgeproto.Flavor | undefined;
}

/** A deployed AppInst as the platform sees it. */
export interface AppInstRuntimeReport {
  /** Container ids, process ids or VM names, as the platform names them. */
  readonly containerIds: string[];
  /** Public URI of the instance, when the platform assigns one. */
  readonly uri?: string;
}

/** The platform behind one cloudlet. */
export interface Platform {
  readonly type: edgeproto.PlatformType;
  features(): PlatformFeatures;
  /** Connects to the infrastructure; runs once at CRM start before anything else. */
  init(config: PlatformConfig, ctx: OpContext): Promise<void>;
  /** Flavors, availability zones, images and limits of the infrastructure. */
  gatherCloudletInfo(ctx: OpContext): Promise<CloudletInfoReport>;
  /** Current use and limits (RAM MB, vCPUs, Disk GB, Instances, External IPs…), for CloudletInfo.resources_snapshot. */
  infraResources(): Promise<edgeproto.InfraResourcesSnapshot>;

  createClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void>;
  updateClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void>;
  /** Deleting what does not exist succeeds (idempotent). */
  deleteClusterInst(clusterInst: edgeproto.ClusterInst, ctx: OpContext): Promise<void>;
  /** Resources the cluster uses, for ClusterInstInfo.resources. */
  clusterResources(key: edgeproto.ClusterInstKey): Promise<edgeproto.InfraResources | undefined>;

  createAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void>;
  updateAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void>;
  /** Deleting what does not exist succeeds (idempotent). */
  deleteAppInst(spec: AppInstSpec, ctx: OpContext): Promise<void>;
  /** Runtime of a deployed instance, undefined when the platform has none. */
  appInstRuntime(spec: AppInstSpec): Promise<AppInstRuntimeReport | undefined>;

  /**
   * What exists on the infrastructure now, by key JSON (the registry's keyJson of the
   * ClusterInstKey / AppInstKey): the level-based reconciler compares it with the
   * desired state after a restart.
   */
  listClusterInsts(): Promise<string[]>;
  listAppInsts(): Promise<string[]>;

  /** The command to run for `mcctl RunCommand`/`ShowLogs` on an instance, undefined when unsupported. */
  containerCommand?(spec: AppInstSpec, command: string): Promise<string | undefined>;
  /** A console URL for VM apps, undefined when unsupported. */
  consoleUrl?(spec: AppInstSpec): Promise<string | undefined>;

  /** Stops background work (not the deployed instances: they keep running). */
  close(): Promise<void>;
}
