import { readFile, statfs } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  TCP_ESTABLISHED,
  cpuBusyPercent,
  parseCpuTotals,
  parseMeminfo,
  parseNetDev,
  parseNetTcp,
  parsePidStat,
  parseRssBytes,
  parseSnmp,
  parseUptime,
  pidOf,
  type CpuTotals,
  type TcpSocket,
} from './proc';
import type { AppInstTarget, AppStats, ClusterStats, PortStats, StatsSource } from './stats-source';

/** How the local collector reads this host. */
export interface LocalStatsOptions {
  /** Root of the proc filesystem; default `/proc`. */
  readonly procRoot?: string;
  /** File system whose use is the disk figure; default `/`. */
  readonly diskPath?: string;
  /** Kernel clock ticks per second (USER_HZ); default 100. */
  readonly clockTicks?: number;
  readonly now?: () => number;
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** Host-wide figures of one round, shared by every cluster and the cloudlet. */
interface HostSample {
  cpu: number;
  mem?: { total: number; available: number };
  disk?: { total: number; used: number };
  net: { recv: number; sent: number };
  tcp: Record<string, number>;
  udp: Record<string, number>;
}

/**
 * Figures of the `local` platform, where every AppInst is a process on this host (its
 * runtime container id is `pid-<pid>`): CPU percent from /proc/<pid>/stat between two
 * samples (the first: over the process's life), resident memory, and per mapped TCP port
 * the established connections from /proc/net/tcp[6] (accepts: sockets not seen before).
 * Clusters and the cloudlet are this host: /proc/stat, /proc/meminfo, statfs, /proc/net/dev,
 * /proc/net/snmp. Instances without a live pid report nothing.
 */
export function localStats(opts: LocalStatsOptions = {}): StatsSource {
  const root = opts.procRoot ?? '/proc';
  const hz = opts.clockTicks ?? 100;
  const now = opts.now ?? Date.now;
  const read = (...path: string[]): Promise<string | undefined> =>
    readFile(join(root, ...path), 'utf8').catch(() => undefined);

  const lastCpu = new Map<number, { ticks: number; atMs: number }>();
  /** Pids sampled this round (the others are forgotten at the next). */
  let pidsSeen = new Set<number>();
  /** Per port: established socket inodes seen last round, and accepts counted so far. */
  const ports = new Map<number, { inodes: Set<string>; accepts: number }>();
  let sockets: TcpSocket[] = [];
  let lastHostCpu: CpuTotals | undefined;
  let host: HostSample | undefined;

  async function sampleHost(): Promise<HostSample> {
    const [stat, meminfo, netDev, snmp] = await Promise.all([
      read('stat'),
      read('meminfo'),
      read('net', 'dev'),
      read('net', 'snmp'),
    ]);
    const totals = stat ? parseCpuTotals(stat) : undefined;
    const cpu = totals ? cpuBusyPercent(lastHostCpu, totals) : 0;
    if (totals) lastHostCpu = totals;
    const fs = await statfs(opts.diskPath ?? '/').catch(() => undefined);
    const mem = meminfo ? parseMeminfo(meminfo) : undefined;
    return {
      cpu,
      ...(mem ? { mem } : {}),
      ...(fs ? { disk: { total: fs.blocks * fs.bsize, used: (fs.blocks - fs.bfree) * fs.bsize } } : {}),
      net: netDev ? parseNetDev(netDev) : { recv: 0, sent: 0 },
      tcp: snmp ? parseSnmp(snmp, 'Tcp') : {},
      udp: snmp ? parseSnmp(snmp, 'Udp') : {},
    };
  }

  async function processCpu(pid: number): Promise<number | undefined> {
    const stat = await read(String(pid), 'stat');
    const cpu = stat ? parsePidStat(stat) : undefined;
    if (!cpu) return undefined;
    const at = now();
    const prev = lastCpu.get(pid);
    lastCpu.set(pid, { ticks: cpu.ticks, atMs: at });
    if (prev && at > prev.atMs) return ((cpu.ticks - prev.ticks) / hz / ((at - prev.atMs) / 1000)) * 100;
    const uptime = parseUptime((await read('uptime')) ?? '');
    const lived = uptime !== undefined ? uptime - cpu.startTicks / hz : 0;
    return lived > 0 ? (cpu.ticks / hz / lived) * 100 : 0;
  }

  function portStats(port: number): PortStats {
    const inodes = new Set(
      sockets.filter((s) => s.localPort === port && s.state === TCP_ESTABLISHED).map((s) => s.inode),
    );
    const p = ports.get(port) ?? { inodes: new Set<string>(), accepts: 0 };
    for (const i of inodes) if (!p.inodes.has(i)) p.accepts++;
    p.inodes = inodes;
    ports.set(port, p);
    return { port, active: inodes.size, accepts: p.accepts, handled: p.accepts };
  }

  return {
    async beginRound() {
      const [v4, v6] = await Promise.all([read('net', 'tcp'), read('net', 'tcp6')]);
      sockets = [...parseNetTcp(v4 ?? ''), ...parseNetTcp(v6 ?? '')];
      host = undefined;
      for (const pid of lastCpu.keys()) if (!pidsSeen.has(pid)) lastCpu.delete(pid);
      pidsSeen = new Set();
    },

    async appInst(t: AppInstTarget): Promise<AppStats | undefined> {
      const ids = t.appInst.runtimeInfo?.containerIds ?? [];
      const pid = ids.map(pidOf).find((p) => p !== undefined);
      if (pid === undefined) return undefined;
      pidsSeen.add(pid);
      const cpu = await processCpu(pid);
      if (cpu === undefined) return undefined; // the process is gone
      const status = await read(String(pid), 'status');
      const mem = status ? parseRssBytes(status) : undefined;
      return {
        cpu,
        ...(mem !== undefined ? { mem } : {}),
        connections: t.tcpPorts.map(portStats),
        pod: `pid-${pid}`,
      };
    },

    async cluster(): Promise<ClusterStats> {
      const h = (host ??= await sampleHost());
      return {
        cpu: h.cpu,
        ...(h.mem ? { mem: ((h.mem.total - h.mem.available) / h.mem.total) * 100 } : {}),
        ...(h.disk && h.disk.total > 0 ? { disk: (h.disk.used / h.disk.total) * 100 } : {}),
        network: h.net,
        tcp: { conns: h.tcp['CurrEstab'] ?? 0, retrans: h.tcp['RetransSegs'] ?? 0 },
        udp: {
          sent: h.udp['OutDatagrams'] ?? 0,
          recv: h.udp['InDatagrams'] ?? 0,
          recvErr: h.udp['InErrors'] ?? 0,
        },
      };
    },

    async cloudlet() {
      const h = (host ??= await sampleHost());
      const vCpuMax = cpus().length;
      return {
        vCpuMax,
        vCpuUsed: Math.round((h.cpu / 100) * vCpuMax),
        memMax: h.mem ? h.mem.total / MB : 0,
        memUsed: h.mem ? (h.mem.total - h.mem.available) / MB : 0,
        diskMax: h.disk ? h.disk.total / GB : 0,
        diskUsed: h.disk ? h.disk.used / GB : 0,
        network: { sent: h.net.sent / 1024, recv: h.net.recv / 1024 },
      };
    },
  };
}
