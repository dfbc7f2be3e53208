import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import type { AppInstSpec } from '../platform';

const CLOUDLET = { organization: 'op', name: 'cl1' };

/** A ClusterInst on cloudlet op/cl1. */
export function clusterInst(
  name: string,
  fields: Partial<Omit<edgeproto.ClusterInst, 'key' | '$typeName'>> = {},
): edgeproto.ClusterInst {
  const ci = create(edgeproto.ClusterInstSchema, {
    key: { clusterKey: { name }, cloudletKey: CLOUDLET, organization: 'dev' },
    deployment: 'kubernetes',
    numMasters: 1,
    numNodes: 2,
    nodeFlavor: 'x1.small',
    masterNodeFlavor: 'x1.tiny',
  });
  return Object.assign(ci, fields);
}

/** One public port; `udp` for UDP. */
export function port(publicPort: number, proto: 'tcp' | 'udp' = 'tcp'): dme.AppPort {
  return create(dme.AppPortSchema, {
    proto: proto === 'udp' ? dme.LProto.UDP : dme.LProto.TCP,
    internalPort: publicPort,
    publicPort,
  });
}

/** An AppInst spec of app dev/<name>/1.0 in cluster `cluster`. */
export function appInstSpec(
  name: string,
  opts: {
    cluster?: edgeproto.ClusterInst;
    ports?: dme.AppPort[];
    command?: string;
    deployment?: string;
    flavor?: { ram: bigint; vcpus: bigint; disk: bigint };
    vmFlavor?: string;
  } = {},
): AppInstSpec {
  const cluster = opts.cluster ?? clusterInst('c1');
  const appKey = { organization: 'dev', name, version: '1.0' };
  return {
    app: create(edgeproto.AppSchema, {
      key: appKey,
      deployment: opts.deployment ?? 'docker',
      command: opts.command ?? '',
    }),
    appInst: create(edgeproto.AppInstSchema, {
      key: {
        appKey,
        clusterInstKey: {
          ...(cluster.key?.clusterKey ? { clusterKey: cluster.key.clusterKey } : {}),
          cloudletKey: CLOUDLET,
          organization: cluster.key?.organization ?? '',
        },
      },
      mappedPorts: opts.ports ?? [],
      dnsLabel: name,
      vmFlavor: opts.vmFlavor ?? '',
    }),
    clusterInst: cluster,
    flavor: opts.flavor
      ? create(edgeproto.FlavorSchema, { key: { name: 'x1.small' }, ...opts.flavor })
      : undefined,
  };
}

/** Value of a named InfraResource of a snapshot (undefined when not reported). */
export function resource(snap: edgeproto.InfraResourcesSnapshot, name: string): bigint | undefined {
  return snap.info.find((r) => r.name === name)?.value;
}
