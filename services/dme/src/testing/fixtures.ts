import { create } from '@bufbuild/protobuf';
import { dme, edgeproto } from '@edge/proto';
import type { DmeTable } from '../state/dme-table';

/** Test helpers: feed a DmeTable as notify would. */
export const appKey = (name = 'app', org = 'dev') => ({ organization: org, name, version: '1' });

export function putApp(
  t: DmeTable,
  init: Record<string, unknown> & { name?: string; org?: string } = {},
): void {
  const { name, org, ...rest } = init;
  const a = create(edgeproto.AppSchema, { key: appKey(name, org), accessPorts: 'tcp:80', ...rest } as never);
  t.apply({ type: 'edgeproto.App', key: JSON.stringify(appKey(name, org)), rev: 1, obj: a });
}

export function putCloudlet(
  t: DmeTable,
  name: string,
  org: string,
  lat: number,
  lon: number,
  opts: { state?: dme.CloudletState; maintenance?: dme.MaintenanceState; alliance?: string[] } = {},
): void {
  const key = { organization: org, name };
  const c = create(edgeproto.CloudletSchema, {
    key,
    location: { latitude: lat, longitude: lon },
    maintenanceState: opts.maintenance ?? dme.MaintenanceState.NORMAL_OPERATION,
    allianceOrgs: opts.alliance ?? [],
  });
  t.apply({ type: 'edgeproto.Cloudlet', key: JSON.stringify(key), rev: 1, obj: c });
  const info = create(edgeproto.CloudletInfoSchema, { key, state: opts.state ?? dme.CloudletState.READY });
  t.apply({ type: 'edgeproto.CloudletInfo', key: JSON.stringify(key), rev: 1, obj: info });
}

export function instKey(cloudlet: string, org: string, app = 'app', cluster = 'k1') {
  return {
    appKey: appKey(app),
    clusterInstKey: {
      clusterKey: { name: cluster },
      cloudletKey: { organization: org, name: cloudlet },
      organization: 'dev',
    },
  };
}

export function putInst(
  t: DmeTable,
  cloudlet: string,
  org: string,
  lat: number,
  lon: number,
  opts: { app?: string; cluster?: string; health?: dme.HealthCheck; state?: edgeproto.TrackedState } = {},
): string {
  const key = instKey(cloudlet, org, opts.app, opts.cluster);
  const ai = create(edgeproto.AppInstSchema, {
    key,
    cloudletLoc: { latitude: lat, longitude: lon },
    uri: `${cloudlet}.${org}.example.net`,
    state: opts.state ?? edgeproto.TrackedState.READY,
    healthCheck: opts.health ?? dme.HealthCheck.OK,
    mappedPorts: [{ proto: dme.LProto.TCP, internalPort: 80, publicPort: 10080 }],
  });
  const k = JSON.stringify(key);
  t.apply({ type: 'edgeproto.AppInst', key: k, rev: 1, obj: ai });
  return k;
}
