import type { edgeproto } from '@edge/proto';
import { addDouble, addInt, addString, newMetric } from './metric';
import type { AppStats, CloudletStats, ClusterStats } from './stats-source';

/** Measurement names of the original Shepherd (Metric.name → InfluxDB measurement). */
export const METRIC = {
  appInstCpu: 'appinst-cpu',
  appInstMem: 'appinst-mem',
  appInstDisk: 'appinst-disk',
  appInstNetwork: 'appinst-network',
  appInstConnections: 'appinst-connections',
  clusterCpu: 'cluster-cpu',
  clusterMem: 'cluster-mem',
  clusterDisk: 'cluster-disk',
  clusterNetwork: 'cluster-network',
  clusterTcp: 'cluster-tcp',
  clusterUdp: 'cluster-udp',
  cloudletUtilization: 'cloudlet-utilization',
  cloudletNetwork: 'cloudlet-network',
  cloudletIpUsage: 'cloudlet-ipusage',
} as const;

type Tags = (readonly [string, string])[];

/**
 * Tags of an AppInst's metrics as the original sets them (cluster-worker `newMetric`,
 * proxy-stats `getAppMetricFromTags`): note the App version is tag `ver`, not `appver`
 * (the alert label), which is what the original's metrics queries filter on.
 */
function appInstTags(ai: edgeproto.AppInst): Tags {
  const k = ai.key;
  const c = k?.clusterInstKey;
  return [
    ['cloudletorg', c?.cloudletKey?.organization ?? ''],
    ['cloudlet', c?.cloudletKey?.name ?? ''],
    ['cluster', c?.clusterKey?.name ?? ''],
    ['clusterorg', c?.organization ?? ''],
    ['apporg', k?.appKey?.organization ?? ''],
    ['app', k?.appKey?.name ?? ''],
    ['ver', k?.appKey?.version ?? ''],
  ];
}

/** Tags of a ClusterInst's metrics; a reservable cluster counts for the organization using it. */
function clusterTags(ci: edgeproto.ClusterInst): Tags {
  const k = ci.key;
  return [
    ['cloudletorg', k?.cloudletKey?.organization ?? ''],
    ['cloudlet', k?.cloudletKey?.name ?? ''],
    ['cluster', k?.clusterKey?.name ?? ''],
    ['clusterorg', ci.reservedBy || (k?.organization ?? '')],
  ];
}

function cloudletTags(key: edgeproto.CloudletKey): Tags {
  return [
    ['cloudletorg', key.organization],
    ['cloudlet', key.name],
  ];
}

/** appinst-cpu/mem/disk/network/connections of one sample (fields as the original: cpu, mem, disk, sendBytes, recvBytes, active, accepts, handled, bytesSent, bytesRecvd). */
export function appInstMetrics(ai: edgeproto.AppInst, s: AppStats, tsMs: number): edgeproto.Metric[] {
  const tags = appInstTags(ai);
  const out: edgeproto.Metric[] = [];
  const withPod = (name: string): edgeproto.Metric => {
    const m = newMetric(name, tsMs, tags);
    addString(m, 'pod', s.pod ?? ai.key?.appKey?.name ?? '');
    out.push(m);
    return m;
  };
  if (s.cpu !== undefined) addDouble(withPod(METRIC.appInstCpu), 'cpu', s.cpu);
  if (s.mem !== undefined) addInt(withPod(METRIC.appInstMem), 'mem', s.mem);
  if (s.disk !== undefined) addInt(withPod(METRIC.appInstDisk), 'disk', s.disk);
  if (s.network) {
    const m = newMetric(METRIC.appInstNetwork, tsMs, tags);
    addInt(m, 'sendBytes', s.network.sent);
    addInt(m, 'recvBytes', s.network.recv);
    out.push(m);
  }
  for (const p of s.connections ?? []) {
    const m = newMetric(METRIC.appInstConnections, tsMs, [...tags, ['port', String(p.port)]]);
    addInt(m, 'active', p.active);
    addInt(m, 'accepts', p.accepts);
    addInt(m, 'handled', p.handled);
    if (p.bytesSent !== undefined) addInt(m, 'bytesSent', p.bytesSent);
    if (p.bytesRecvd !== undefined) addInt(m, 'bytesRecvd', p.bytesRecvd);
    out.push(m);
  }
  return out;
}

/** cluster-cpu/mem/disk (percent, doubles), cluster-network, cluster-tcp, cluster-udp of one sample. */
export function clusterMetrics(ci: edgeproto.ClusterInst, s: ClusterStats, tsMs: number): edgeproto.Metric[] {
  const tags = clusterTags(ci);
  const out: edgeproto.Metric[] = [];
  const add = (name: string): edgeproto.Metric => {
    const m = newMetric(name, tsMs, tags);
    out.push(m);
    return m;
  };
  if (s.cpu !== undefined) addDouble(add(METRIC.clusterCpu), 'cpu', s.cpu);
  if (s.mem !== undefined) addDouble(add(METRIC.clusterMem), 'mem', s.mem);
  if (s.disk !== undefined) addDouble(add(METRIC.clusterDisk), 'disk', s.disk);
  if (s.network) {
    const m = add(METRIC.clusterNetwork);
    addInt(m, 'sendBytes', s.network.sent);
    addInt(m, 'recvBytes', s.network.recv);
  }
  if (s.tcp) {
    const m = add(METRIC.clusterTcp);
    addInt(m, 'tcpConns', s.tcp.conns);
    addInt(m, 'tcpRetrans', s.tcp.retrans);
  }
  if (s.udp) {
    const m = add(METRIC.clusterUdp);
    addInt(m, 'udpSent', s.udp.sent);
    addInt(m, 'udpRecv', s.udp.recv);
    addInt(m, 'udpRecvErr', s.udp.recvErr);
  }
  return out;
}

/** cloudlet-utilization (and cloudlet-network, cloudlet-ipusage when known) of one sample. */
export function cloudletMetrics(
  key: edgeproto.CloudletKey,
  s: CloudletStats,
  tsMs: number,
): edgeproto.Metric[] {
  const tags = cloudletTags(key);
  const u = newMetric(METRIC.cloudletUtilization, tsMs, tags);
  addInt(u, 'vCpuUsed', s.vCpuUsed);
  addInt(u, 'vCpuMax', s.vCpuMax);
  addInt(u, 'memUsed', s.memUsed);
  addInt(u, 'memMax', s.memMax);
  addInt(u, 'diskUsed', s.diskUsed);
  addInt(u, 'diskMax', s.diskMax);
  const out = [u];
  if (s.network) {
    const n = newMetric(METRIC.cloudletNetwork, tsMs, tags);
    addInt(n, 'netSent', s.network.sent);
    addInt(n, 'netRecv', s.network.recv);
    out.push(n);
  }
  if (s.ipUsage) {
    const i = newMetric(METRIC.cloudletIpUsage, tsMs, tags);
    addInt(i, 'ipv4Max', s.ipUsage.ipv4Max);
    addInt(i, 'ipv4Used', s.ipUsage.ipv4Used);
    addInt(i, 'floatingIpsMax', s.ipUsage.floatingIpsMax);
    addInt(i, 'floatingIpsUsed', s.ipUsage.floatingIpsUsed);
    out.push(i);
  }
  return out;
}
