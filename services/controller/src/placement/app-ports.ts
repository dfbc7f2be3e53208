import { create } from '@bufbuild/protobuf';
import { invalidArgument } from '@edge/errors';
import { dme } from '@edge/proto';

const MAX_TCP_PORTS = 1000;
const MAX_UDP_PORTS = 10000;
const MAX_ENVOY_UDP_PORTS = 1000;
const MIN_UDP_PKT_SIZE = 1500n;
const MAX_UDP_PKT_SIZE = 50000n;

/** Ports the platform itself uses on every node; Apps may not claim them. */
const RESERVED_PLATFORM_PORTS: Record<string, string> = {
  'tcp:22': 'Platform inter-node SSH',
  'tcp:20800': 'Kubernetes master join server',
  'udp:53': 'dns udp',
  'tcp:53': 'dns tcp',
};

/** Go's strconv.ParseInt(s, 10, 32): a whole decimal within int32. */
function parseInt32(s: string): number | undefined {
  if (!/^[-+]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

function annotations(pp: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const kv of pp.slice(2)) {
    const bad = `invalid AccessPorts annotation ${kv} for port ${pp[1] ?? ''}, expected format is either key or key=val`;
    if (kv === '') throw invalidArgument(bad);
    const parts = kv.split('=');
    if (parts.length === 1) out.set(kv, 'true');
    else if (parts.length === 2) out.set(parts[0] ?? '', parts[1] ?? '');
    else throw invalidArgument(bad);
  }
  return out;
}

function applyAnnotation(port: dme.AppPort, proto: string, key: string, val: string, spec: string): void {
  switch (key) {
    case 'tls':
      if (proto !== 'tcp') throw invalidArgument(`Invalid protocol ${proto}, not available for tls support`);
      port.tls = true;
      return;
    case 'nginx':
      if (proto !== 'udp') throw invalidArgument(`Invalid annotation "nginx" for ${proto} ports`);
      port.nginx = true;
      return;
    case 'maxpktsize': {
      if (proto !== 'udp')
        throw invalidArgument(
          `Invalid annotation "maxpktsize" for ${proto} ports, only valid for UDP protocol`,
        );
      if (!/^[-+]?\d+$/.test(val)) throw invalidArgument(`unable to convert pkt size value: ${val}`);
      const size = BigInt(val);
      if (size < MIN_UDP_PKT_SIZE || size > MAX_UDP_PKT_SIZE)
        throw invalidArgument(
          `Invalid maxpktsize, should be between range ${MIN_UDP_PKT_SIZE} to ${MAX_UDP_PKT_SIZE} (exclusive)`,
        );
      port.maxPktSize = size;
      return;
    }
    default:
      throw invalidArgument(`unrecognized annotation ${key}=${val} for port ${spec}`);
  }
}

/**
 * Parses App.access_ports (`tcp:80,udp:10000-10010,tcp:443:tls`) into AppPorts, with
 * the original's errors (edgeproto.ParseAppPorts + util.ParsePorts). A single-port
 * range (`tcp:5000-5000`) has end_port 0.
 */
export function parseAppPorts(spec: string): dme.AppPort[] {
  if (spec === '') return [];
  const out: dme.AppPort[] = [];
  let tcp = 0;
  let udp = 0;
  for (const pstr of spec.split(',')) {
    const pp = pstr.split(':');
    if (pp.length < 2) throw invalidArgument(`invalid AccessPorts format '${pstr}'`);
    const ann = annotations(pp);
    const range = (pp[1] ?? '').split('-');
    const base = parseInt32(range[0] ?? '');
    if (base === undefined) throw invalidArgument('unable to convert port range base value');
    let end = base;
    if (range.length === 2) {
      const e = parseInt32(range[1] ?? '');
      if (e === undefined) throw invalidArgument('unable to convert port range base value');
      end = e;
    }
    if (base < 1 || base > 65535 || end < 1 || end > 65535 || end < base)
      throw invalidArgument('App ports out of range');
    if (base === end) end = 0;
    const proto = (pp[0] ?? '').toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp') throw invalidArgument(`Unsupported protocol: ${pp[0] ?? ''}`);
    const count = end !== 0 ? end - base + 1 : 1;
    if (proto === 'tcp') tcp += count;
    else udp += count;
    const port = create(dme.AppPortSchema, {
      proto: proto === 'tcp' ? dme.LProto.TCP : dme.LProto.UDP,
      internalPort: base,
      endPort: end,
    });
    for (const [k, v] of ann) applyAnnotation(port, proto, k, v, pp[1] ?? '');
    out.push(port);
  }
  if (tcp > MAX_TCP_PORTS)
    throw invalidArgument(`Not allowed to specify more than ${MAX_TCP_PORTS} tcp ports`);
  if (udp > MAX_UDP_PORTS)
    throw invalidArgument(`Not allowed to specify more than ${MAX_UDP_PORTS} udp ports`);
  if (udp > MAX_ENVOY_UDP_PORTS) for (const p of out) if (p.proto === dme.LProto.UDP) p.nginx = true;
  for (const port of out) {
    const proto = port.proto === dme.LProto.TCP ? 'tcp' : 'udp';
    for (let p = port.internalPort; p <= (port.endPort || port.internalPort); p++) {
      const desc = RESERVED_PLATFORM_PORTS[`${proto}:${p}`];
      if (desc) throw invalidArgument(`App cannot use port ${proto}:${p} - reserved for ${desc}`);
    }
  }
  return out;
}

/** Whether two port specs share a protocol and at least one port. */
export function portsOverlap(a: dme.AppPort, b: dme.AppPort): boolean {
  const lastA = a.endPort || a.internalPort;
  const lastB = b.endPort || b.internalPort;
  return a.proto === b.proto && a.internalPort <= lastB && lastA >= b.internalPort;
}
