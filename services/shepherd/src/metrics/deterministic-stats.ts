import type { edgeproto } from '@edge/proto';
import type { AppInstTarget, StatsSource } from './stats-source';

const MIB = 1024 * 1024;

/** FNV-1a of a string: a stable, well-spread seed per object. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function appInstName(ai: edgeproto.AppInst): string {
  const k = ai.key;
  const c = k?.clusterInstKey;
  return [k?.appKey?.organization, k?.appKey?.name, k?.appKey?.version, c?.clusterKey?.name, c?.organization]
    .map((x) => x ?? '')
    .join('/');
}

function clusterName(ci: edgeproto.ClusterInst): string {
  const k = ci.key;
  return [k?.clusterKey?.name, k?.organization].map((x) => x ?? '').join('/');
}

/**
 * Figures for platforms whose instances Shepherd cannot measure (fake and the
 * infrastructure platforms until they have collectors): a function of the object's key
 * and the number of samples taken of it, so every run reports the same series. Counters
 * (bytes, accepts) grow with each sample; gauges vary within a small band.
 */
export function deterministicStats(): StatsSource {
  const samples = new Map<string, number>();
  const sample = (key: string): number => {
    const n = (samples.get(key) ?? 0) + 1;
    samples.set(key, n);
    return n;
  };
  return {
    async appInst(t: AppInstTarget) {
      const key = appInstName(t.appInst);
      const h = fnv(key);
      const n = sample(`ai/${key}`);
      return {
        cpu: 1 + (h % 20) + (n % 5) * 0.5,
        mem: (32 + (h % 96)) * MIB,
        disk: (100 + (h % 400)) * MIB,
        network: { sent: n * (1000 + (h % 1000)), recv: n * (2000 + (h % 1000)) },
        connections: t.tcpPorts.map((port) => {
          const accepts = n * ((h % 3) + 1);
          return {
            port,
            active: (h + port) % 4,
            accepts,
            handled: accepts,
            bytesSent: accepts * 512,
            bytesRecvd: accepts * 256,
          };
        }),
        pod: t.appInst.key?.appKey?.name ?? '',
      };
    },
    async cluster(ci) {
      const key = clusterName(ci);
      const h = fnv(key);
      const n = sample(`ci/${key}`);
      return {
        cpu: 5 + (h % 30) + (n % 5),
        mem: 20 + (h % 40) + (n % 3),
        disk: 10 + (h % 50),
        network: { sent: n * (5000 + (h % 5000)), recv: n * (8000 + (h % 5000)) },
        tcp: { conns: h % 10, retrans: 0 },
      };
    },
    async cloudlet(cloudlet) {
      const h = fnv(`${cloudlet?.key?.organization ?? ''}/${cloudlet?.key?.name ?? ''}`);
      const n = sample('cloudlet');
      return {
        vCpuMax: 64,
        vCpuUsed: h % 32,
        memMax: 262_144,
        memUsed: 16_384 + (h % 65_536),
        diskMax: 5000,
        diskUsed: 200 + (h % 2000),
        network: { sent: n * 100, recv: n * 200 },
        ipUsage: { ipv4Max: 254, ipv4Used: h % 20, floatingIpsMax: 32, floatingIpsUsed: h % 8 },
      };
    },
  };
}
