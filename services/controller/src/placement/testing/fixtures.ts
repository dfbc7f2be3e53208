import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { PlacementWorld } from './world';

/** Mex flavors x1.small (1/1024/10), x1.medium (2/2048/20), x1.huge (64 vcpus). */
export async function flavors(w: PlacementWorld): Promise<void> {
  for (const [name, vcpus, ram, disk] of [
    ['x1.small', 1n, 1024n, 10n],
    ['x1.medium', 2n, 2048n, 20n],
    ['x1.huge', 64n, 1024n, 10n],
  ] as const)
    await w.api('Flavor').create(create(edgeproto.FlavorSchema, { key: { name }, vcpus, ram, disk }));
}

/** Platform flavors of the test cloudlets. */
export const PLATFORM_FLAVORS = [
  { name: 'm4.small', vcpus: 2, ram: 2048, disk: 20 },
  { name: 'm4.large', vcpus: 4, ram: 8192, disk: 40 },
];

/** An App of org `dev`, version 1. */
export function app(name: string, extra: Partial<edgeproto.App> = {}): edgeproto.App {
  return create(edgeproto.AppSchema, {
    key: { organization: 'dev', name, version: '1' },
    imageType: edgeproto.ImageType.DOCKER,
    imagePath: `registry.example.com/dev/${name}:1`,
    defaultFlavor: { name: 'x1.small' },
    ...extra,
  } as never);
}

/** A ClusterInst `name` of `org` on `cloudlet`. */
export function cluster(
  name: string,
  cloudlet: edgeproto.CloudletKey,
  extra: Partial<edgeproto.ClusterInst> = {},
  org = 'dev',
): edgeproto.ClusterInst {
  return create(edgeproto.ClusterInstSchema, {
    key: { clusterKey: { name }, cloudletKey: cloudlet, organization: org },
    flavor: { name: 'x1.small' },
    ...extra,
  } as never);
}

/** An AppInst of App `appName` (org dev) on cluster `clusterName`. */
export function appInst(
  appName: string,
  clusterName: string,
  cloudlet: edgeproto.CloudletKey,
  extra: Partial<edgeproto.AppInst> = {},
  clusterOrg = '',
): edgeproto.AppInst {
  return create(edgeproto.AppInstSchema, {
    key: {
      appKey: { organization: 'dev', name: appName, version: '1' },
      clusterInstKey: { clusterKey: { name: clusterName }, cloudletKey: cloudlet, organization: clusterOrg },
    },
    ...extra,
  } as never);
}
