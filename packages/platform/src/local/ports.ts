/**
 * The ports an AppInst serves and probes for them: TCP by connecting, UDP by looking up
 * bound sockets in /proc/net (binding the port ourselves to test it could steal it from
 * an app that is just starting).
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dme, type edgeproto } from '@edge/proto';

export type PortProto = 'tcp' | 'udp';

/** One public port of an instance. */
export interface PortSpec {
  readonly proto: PortProto;
  readonly port: number;
}

/** Larger ranges are refused: each port is a listening socket on this host. */
const MAX_PORTS = 1000;

/** Public ports of an AppInst (`mapped_ports`), ranges expanded, in declaration order, without duplicates. */
export function publicPorts(appInst: edgeproto.AppInst): PortSpec[] {
  const out: PortSpec[] = [];
  const seen = new Set<string>();
  for (const p of appInst.mappedPorts) {
    const proto: PortProto = p.proto === dme.LProto.UDP ? 'udp' : 'tcp';
    if (p.publicPort <= 0) continue;
    const last = p.endPort > p.publicPort ? p.endPort : p.publicPort;
    for (let port = p.publicPort; port <= last && out.length < MAX_PORTS; port++) {
      const id = `${proto}:${port}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({ proto, port });
    }
  }
  return out;
}

/** Whether something accepts TCP connections on host:port. */
export function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (open: boolean): void => {
      sock.removeAllListeners();
      sock.on('error', () => undefined);
      sock.destroy();
      resolve(open);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/**
 * Whether a UDP socket is bound to `port` on this host (any address), from /proc/net/udp
 * and udp6; undefined where /proc is not available.
 */
export function udpBound(port: number): boolean | undefined {
  let found: boolean | undefined;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    found ??= false;
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const hexPort = local?.slice(local.lastIndexOf(':') + 1);
      if (hexPort && parseInt(hexPort, 16) === port) return true;
    }
  }
  return found;
}

/** Whether the port is served now (UDP where it cannot be told: assumed as `unknown`). */
export async function portOpen(host: string, p: PortSpec, unknown: boolean): Promise<boolean> {
  if (p.proto === 'tcp') return tcpOpen(host, p.port);
  return udpBound(p.port) ?? unknown;
}
