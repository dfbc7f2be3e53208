/**
 * Parsers of the Linux /proc files the local collector reads. Each takes the file's text
 * and returns what it needs, or undefined when the text is not what it expects.
 */

/** CPU time of a process in clock ticks, and its start in ticks after boot (/proc/<pid>/stat). */
export interface ProcCpu {
  readonly ticks: number;
  readonly startTicks: number;
}

/** `/proc/<pid>/stat`: utime + stime (fields 14, 15) and starttime (field 22). */
export function parsePidStat(text: string): ProcCpu | undefined {
  // The command (field 2) is in parentheses and may contain anything: split after the last ')'.
  const rest = text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  const start = Number(rest[19]);
  if (![utime, stime, start].every(Number.isFinite)) return undefined;
  return { ticks: utime + stime, startTicks: start };
}

/** `/proc/<pid>/status`: resident set size (VmRSS) in bytes. */
export function parseRssBytes(text: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** `/proc/uptime`: seconds since boot. */
export function parseUptime(text: string): number | undefined {
  const v = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(v) ? v : undefined;
}

/** One socket of `/proc/net/tcp` or `/proc/net/tcp6`. */
export interface TcpSocket {
  readonly localPort: number;
  /** Kernel state, e.g. `01` ESTABLISHED, `0A` LISTEN. */
  readonly state: string;
  readonly inode: string;
}

export const TCP_ESTABLISHED = '01';

/** `/proc/net/tcp[6]`: local port, state and inode of every socket. */
export function parseNetTcp(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    const state = f[3];
    const inode = f[9];
    if (!local || !state || inode === undefined) continue;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (Number.isFinite(port)) out.push({ localPort: port, state, inode });
  }
  return out;
}

/** Totals of the first line of `/proc/stat`, in ticks: all, and idle (idle + iowait). */
export interface CpuTotals {
  readonly total: number;
  readonly idle: number;
}

export function parseCpuTotals(text: string): CpuTotals | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 4 || !v.every(Number.isFinite)) return undefined;
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { total, idle: (v[3] ?? 0) + (v[4] ?? 0) };
}

/** Percent busy between two `/proc/stat` samples (since boot when there is no earlier one). */
export function cpuBusyPercent(prev: CpuTotals | undefined, cur: CpuTotals): number {
  const total = cur.total - (prev?.total ?? 0);
  const idle = cur.idle - (prev?.idle ?? 0);
  return total > 0 ? ((total - idle) / total) * 100 : 0;
}

/** `/proc/meminfo`: MemTotal and MemAvailable in bytes. */
export function parseMeminfo(text: string): { total: number; available: number } | undefined {
  const kb = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  return total !== undefined && available !== undefined ? { total, available } : undefined;
}

/** `/proc/net/dev`: bytes received and sent over every interface but loopback. */
export function parseNetDev(text: string): { recv: number; sent: number } {
  let recv = 0;
  let sent = 0;
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim() === 'lo') continue;
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    recv += f[0] ?? 0;
    sent += f[8] ?? 0;
  }
  return { recv, sent };
}

/** `/proc/net/snmp`: the counters of one protocol line pair (`Tcp:`, `Udp:`) by name. */
export function parseSnmp(text: string, proto: string): Record<string, number> {
  const lines = text.split('\n').filter((l) => l.startsWith(`${proto}:`));
  const names = lines[0]?.split(/\s+/).slice(1) ?? [];
  const values = lines[1]?.split(/\s+/).slice(1).map(Number) ?? [];
  const out: Record<string, number> = {};
  names.forEach((n, i) => (out[n] = values[i] ?? 0));
  return out;
}

/** The pid in a local-platform container id (`pid-1234`), if it is one. */
export function pidOf(containerId: string): number | undefined {
  const m = /^pid-(\d+)$/.exec(containerId);
  return m ? Number(m[1]) : undefined;
}
