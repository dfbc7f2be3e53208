/**
 * A region for DME tests with a real Controller: fixtures of an app, cloudlets and
 * instances seeded through the Controller's store, and a DME on loopback ports fed by it.
 */
import { dme, edgeproto } from '@edge/proto';
import { MemorySecretStore } from '@edge/secrets';
import type { ControllerHarness } from '../../../controller/src/testing/harness';
import type { Fixture } from '../../../controller/src/testing/seed';
import { createDme, type Dme, type DmeDeps } from '../dme';

const TS = edgeproto.TrackedState;

export interface AppKeyInit {
  readonly organization: string;
  readonly name: string;
  readonly version: string;
}

/** Flavor `f1` and an App of `appKey` with one TCP port 80. */
export function appFixtures(appKey: AppKeyInit): Fixture[] {
  return [
    ['Flavor', edgeproto.FlavorSchema, { key: { name: 'f1' }, ram: 1024n, vcpus: 1n, disk: 1n }],
    [
      'App',
      edgeproto.AppSchema,
      { key: appKey, imagePath: `img/${appKey.name}`, accessPorts: 'tcp:80', defaultFlavor: { name: 'f1' } },
    ],
  ];
}

/** Where a test cloudlet is: its operator organization, name and position. */
export interface Site {
  readonly org: string;
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
}

const cloudletKey = (s: Site) => ({ organization: s.org, name: s.name });
const clusterKey = (s: Site) => ({
  clusterKey: { name: 'k1' },
  cloudletKey: cloudletKey(s),
  organization: 'dev',
});

/** A READY cloudlet at the site with its READY CloudletInfo and a READY ClusterInst `k1` of org `dev`. */
export function cloudletFixtures(s: Site): Fixture[] {
  return [
    [
      'Cloudlet',
      edgeproto.CloudletSchema,
      { key: cloudletKey(s), state: TS.READY, location: { latitude: s.lat, longitude: s.lon } },
    ],
    ['CloudletInfo', edgeproto.CloudletInfoSchema, { key: cloudletKey(s), state: dme.CloudletState.READY }],
    ['ClusterInst', edgeproto.ClusterInstSchema, { key: clusterKey(s), state: TS.READY }],
  ];
}

/** A READY, healthy AppInst of `appKey` on the site's cluster: `<name>.<org>.example.net`, TCP 80 → 10080. */
export function appInstFixture(appKey: AppKeyInit, s: Site): Fixture {
  return [
    'AppInst',
    edgeproto.AppInstSchema,
    {
      key: { appKey, clusterInstKey: clusterKey(s) },
      state: TS.READY,
      uri: `${s.name}.${s.org}.example.net`,
      cloudletLoc: { latitude: s.lat, longitude: s.lon },
      mappedPorts: [{ proto: dme.LProto.TCP, internalPort: 80, publicPort: 10080 }],
      healthCheck: dme.HealthCheck.OK,
    },
  ];
}

/** A started DME on loopback ports (gRPC and REST) fed by `h`, with fast reconnects; `extra` overrides. */
export async function startTestDme(h: ControllerHarness, extra: Partial<DmeDeps> = {}): Promise<Dme> {
  const d = createDme({
    apiAddr: '127.0.0.1:0',
    httpAddr: '127.0.0.1:0',
    notifyAddrs: [h.notifyAddress],
    secrets: new MemorySecretStore(),
    notify: { backoff: { initialMs: 20, maxMs: 200 } },
    ...extra,
  });
  await d.start();
  return d;
}

/** POSTs `body` as JSON to the DME's REST gateway; the status and parsed body. */
export async function restCall(
  d: Dme,
  path: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`http://${d.httpAddress}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
