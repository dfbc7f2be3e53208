import { create } from '@bufbuild/protobuf';
import { edgeproto } from '@edge/proto';
import type { ControllerHarness } from '../../testing/harness';
import { seed, type Fixture } from '../../testing/seed';

const TS = edgeproto.TrackedState;

/** CloudletKey init of cloudlet `name` of operator `op`. */
export const cloudletKey = (name: string, org = 'op'): { organization: string; name: string } => ({
  organization: org,
  name,
});

/** Key JSON of a cloudlet, as the registry renders it. */
export const cloudletKeyJson = (name: string, org = 'op'): string =>
  JSON.stringify({ organization: org, name });

const clusterInstKey = (cluster: string, cloudlet: string) => ({
  clusterKey: { name: cluster },
  cloudletKey: cloudletKey(cloudlet),
  organization: 'dev',
});

/** A READY Cloudlet using VM pool `pool` (of its org), when given. */
export const cloudletFx = (name: string, pool = ''): Fixture => [
  'Cloudlet',
  edgeproto.CloudletSchema,
  { key: cloudletKey(name), state: TS.READY, vmPool: pool },
];

export const vmPoolFx = (name: string, org = 'op'): Fixture => [
  'VMPool',
  edgeproto.VMPoolSchema,
  { key: { organization: org, name } },
];

export const appFx = (name: string): Fixture => [
  'App',
  edgeproto.AppSchema,
  { key: { organization: 'dev', name, version: '1' }, imagePath: `img/${name}` },
];

export const clusterInstFx = (cluster: string, cloudlet: string): Fixture => [
  'ClusterInst',
  edgeproto.ClusterInstSchema,
  { key: clusterInstKey(cluster, cloudlet), state: TS.READY },
];

export const appInstFx = (app: string, cluster: string, cloudlet: string): Fixture => [
  'AppInst',
  edgeproto.AppInstSchema,
  {
    key: {
      appKey: { organization: 'dev', name: app, version: '1' },
      clusterInstKey: clusterInstKey(cluster, cloudlet),
    },
    state: TS.READY,
  },
];

export const flavorFx = (name: string, ram = 1024n): Fixture => [
  'Flavor',
  edgeproto.FlavorSchema,
  { key: { name }, ram, vcpus: 1n, disk: 1n },
];

export const trustPolicyExceptionFx = (name: string, poolOrg: string): Fixture => [
  'TrustPolicyException',
  edgeproto.TrustPolicyExceptionSchema,
  {
    key: {
      appKey: { organization: 'dev', name: 'a1', version: '1' },
      cloudletPoolKey: { organization: poolOrg, name: 'pool' },
      name,
    },
  },
];

/**
 * Two cloudlets of operator `op`: c1 (VM pool `vp1`) with cluster k1 and AppInst a1, and c2
 * with cluster k2 and AppInst a2; Apps a1, a2, a3 (no instance); Flavor f1; VMPools vp1,
 * vp2; a TrustPolicyException of an `op` pool and one of another operator's pool.
 */
export async function seedTwoCloudlets(h: ControllerHarness): Promise<void> {
  await seed(
    h,
    flavorFx('f1'),
    vmPoolFx('vp1'),
    vmPoolFx('vp2'),
    cloudletFx('c1', 'vp1'),
    cloudletFx('c2', 'vp2'),
    appFx('a1'),
    appFx('a2'),
    appFx('a3'),
    clusterInstFx('k1', 'c1'),
    clusterInstFx('k2', 'c2'),
    appInstFx('a1', 'k1', 'c1'),
    appInstFx('a2', 'k2', 'c2'),
    trustPolicyExceptionFx('tpe-op', 'op'),
    trustPolicyExceptionFx('tpe-other', 'other'),
  );
}

/** A CloudletInfo of cloudlet `name` in `state`. */
export function cloudletInfo(name: string, state: number): edgeproto.CloudletInfo {
  return create(edgeproto.CloudletInfoSchema, { key: cloudletKey(name), state });
}
