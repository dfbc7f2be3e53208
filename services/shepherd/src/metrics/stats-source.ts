import type { edgeproto } from '@edge/proto';

/** Connections on one public TCP port of an AppInst (the original's envoy/nginx per-port stats). */
export interface PortStats {
  readonly port: number;
  /** Connections open now. */
  readonly active: number;
  /** Connections accepted / handled since the instance started. */
  readonly accepts: number;
  readonly handled: number;
  readonly bytesSent?: number;
  readonly bytesRecvd?: number;
}

/** Cumulative bytes through an instance, cluster or cloudlet. */
export interface NetStats {
  readonly sent: number;
  readonly recv: number;
}

/** One sample of an AppInst (the original's AppMetrics plus proxy stats); absent fields are not sent. */
export interface AppStats {
  /** CPU use in percent. */
  readonly cpu?: number;
  /** Memory in use, bytes. */
  readonly mem?: number;
  /** Disk in use, bytes. */
  readonly disk?: number;
  readonly network?: NetStats;
  readonly connections?: readonly PortStats[];
  /** Container (pod) the figures are of; value `pod` of appinst-cpu/mem/disk. */
  readonly pod?: string;
}

/** One sample of a ClusterInst (the original's ClusterMetrics); percentages of the cluster's capacity. */
export interface ClusterStats {
  readonly cpu?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly network?: NetStats;
  readonly tcp?: { readonly conns: number; readonly retrans: number };
  readonly udp?: { readonly sent: number; readonly recv: number; readonly recvErr: number };
}

/** One sample of the cloudlet (the original's CloudletMetrics): vCPUs, RAM in MB, disk in GB. */
export interface CloudletStats {
  readonly vCpuUsed: number;
  readonly vCpuMax: number;
  readonly memUsed: number;
  readonly memMax: number;
  readonly diskUsed: number;
  readonly diskMax: number;
  /** KBytes sent / received. */
  readonly network?: NetStats;
  readonly ipUsage?: {
    readonly ipv4Max: number;
    readonly ipv4Used: number;
    readonly floatingIpsMax: number;
    readonly floatingIpsUsed: number;
  };
}

/** An AppInst to sample, with what it refers to. */
export interface AppInstTarget {
  readonly appInst: edgeproto.AppInst;
  readonly app: edgeproto.App | undefined;
  readonly flavor: edgeproto.Flavor | undefined;
  /** Its mapped public TCP ports. */
  readonly tcpPorts: readonly number[];
}

/**
 * Where a Shepherd gets its figures, one implementation per platform (the original's
 * shepherd_platform plugins): `local` measures the instances' processes on this host,
 * the others a deterministic source. Undefined = nothing to report this time.
 */
export interface StatsSource {
  /** Called once at the start of each collection round (e.g. to read shared tables once). */
  beginRound?(): Promise<void> | void;
  appInst(target: AppInstTarget): Promise<AppStats | undefined>;
  cluster(clusterInst: edgeproto.ClusterInst): Promise<ClusterStats | undefined>;
  cloudlet(cloudlet: edgeproto.Cloudlet | undefined): Promise<CloudletStats | undefined>;
}

/** Builds the stats source of a platform. */
export type StatsSourceFactory = () => StatsSource;
