import { Code, EdgeError, failedPrecondition, invalidArgument } from '@edge/errors';
import { dme, edgeproto } from '@edge/proto';
import { portsOverlap } from './app-ports';

/** First port handed out on the shared root LB when an App's own port is taken. */
const SHARED_PORT_BEGIN = 10000;
const SHARED_PORT_END = 65000;
/** Ports the root LB itself uses. */
const SSH_PORT = 22;
const PROXY_METRICS_PORT = 65121;

function protoBits(p: dme.LProto): number {
  if (p === dme.LProto.TCP) return 1;
  if (p === dme.LProto.UDP) return 2;
  throw invalidArgument('Unknown protocol in use for this app');
}

/**
 * Maps an App's ports onto the cloudlet's shared root LB, recording them in
 * CloudletRefs.root_lb_ports (port → protocol bits): the App's own port when free, else
 * the first free port from 10000. Port ranges can't be shared.
 */
export function allocateSharedPorts(ports: dme.AppPort[], refs: edgeproto.CloudletRefs): void {
  const used = refs.rootLbPorts;
  for (const port of ports) {
    if (port.endPort !== 0) throw invalidArgument('Shared IP access with port range not allowed');
    const bits = protoBits(port.proto);
    const inUse = (p: number): boolean => ((used[p] ?? 0) & bits) !== 0;
    let eport = -1;
    const iport = port.internalPort;
    if (!inUse(iport) && iport !== SSH_PORT && iport !== PROXY_METRICS_PORT) eport = iport;
    for (let p = SHARED_PORT_BEGIN; p < SHARED_PORT_END && eport === -1; p++) if (!inUse(p)) eport = p;
    if (eport === -1) throw new EdgeError(Code.RESOURCE_EXHAUSTED, 'no free external ports');
    port.publicPort = eport;
    used[eport] = (used[eport] ?? 0) | bits;
  }
}

/** Releases an AppInst's ports on the shared root LB. */
export function freeSharedPorts(mapped: readonly dme.AppPort[], refs: edgeproto.CloudletRefs): void {
  for (const port of mapped) {
    const cur = refs.rootLbPorts[port.publicPort];
    if (cur === undefined) continue;
    const rest = cur & ~protoBits(port.proto);
    if (rest === 0) delete refs.rootLbPorts[port.publicPort];
    else refs.rootLbPorts[port.publicPort] = rest;
  }
}

const TS = edgeproto.TrackedState;
const TRANSIENT = new Set([
  TS.CREATE_REQUESTED,
  TS.CREATING,
  TS.UPDATE_REQUESTED,
  TS.UPDATING,
  TS.DELETE_REQUESTED,
  TS.DELETING,
  TS.DELETE_PREPARE,
]);

/** On a dedicated root LB, the App's ports may not overlap those of the cluster's other AppInsts. */
export function checkDedicatedOverlap(
  ports: readonly dme.AppPort[],
  others: readonly edgeproto.AppInst[],
): void {
  for (const other of others) {
    if (other.state === TS.DELETE_ERROR || TRANSIENT.has(other.state) || other.dedicatedIp) continue;
    for (const p of ports) {
      for (const q of other.mappedPorts) {
        if (!portsOverlap(p, q)) continue;
        if (p.endPort !== p.internalPort && p.endPort !== 0)
          throw failedPrecondition(
            `port range ${p.internalPort}-${p.endPort} overlaps with ports in use on the cluster`,
          );
        throw failedPrecondition(`port ${p.internalPort} is already in use on the cluster`);
      }
    }
  }
}
