import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { TraceContext, silentLogger } from '@edge/log';
import { ObjectRegistry, allFiles, edgeproto } from '@edge/proto';
import { testServers, uniqueName } from '@edge/testing';
import { crmIntake } from '../../../controller/src/state';
import { FakeCrm } from '../../../controller/src/state/testing/fake-crm';
import { stateDepsOf } from '../../../controller/src/state/testing/harness-deps';
import { startController, type ControllerHarness } from '../../../controller/src/testing/harness';
import { mcConfigSchema } from '../config';
import { migrate } from '../db/migrate';
import { createHttpApp } from '../http/app';
import { createRbac } from '../rbac/create-rbac';
import { createRegionsArea, type RegionsArea } from '../regions/area';
import { testCaller, usernameAuthenticator } from './area-test-app';
import { createTestDb, type TestDb } from './test-db';
import { grantRole } from './grant-role';

/** One reply of the MC: status, the parsed body (single JSON) and every JSON line. */
export interface WorldReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly lines: Record<string, unknown>[];
}

/**
 * A real Controller on etcd (with a scripted CRM for cloudlet `op`/`c1` of `operOrg`)
 * and the regions area of an MC on a fresh test PostgreSQL database, with the real SQL
 * RBAC and a test authenticator: the bearer token (and the websocket token) is the user name.
 */
export interface RegionWorld {
  readonly url: string;
  readonly region: string;
  readonly ctrl: ControllerHarness;
  readonly crm: FakeCrm;
  readonly db: TestDb;
  readonly area: RegionsArea;
  /** The cloudlet the fake CRM serves. */
  readonly cloudlet: edgeproto.CloudletKey;
  /** `POST /api/v1/auth/<path>` as `user` (the token is the user name). */
  post(path: string, body: unknown, user?: string): Promise<WorldReply>;
  /** Gives `user` `role` in `org` ('' = global), creating the org (type from the role) when missing. */
  grant(user: string, org: string, role: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the world; `operOrg` owns the fake CRM's cloudlet `c1`. */
export async function startRegionWorld(operOrg: string): Promise<RegionWorld> {
  const servers = testServers();
  // Short: the DNS label derived from a region name is at most 10 characters.
  const region = `R${uniqueName('')
    .replace(/[^0-9a-f]/g, '')
    .slice(-7)}`;
  const ctrl = await startController({ etcd: servers.etcd, region });
  const cloudlet = create(edgeproto.CloudletKeySchema, { organization: operOrg, name: 'c1' });
  const flavors = [
    create(edgeproto.FlavorInfoSchema, { name: 'm4.small', vcpus: 2n, ram: 4096n, disk: 40n }),
  ];
  const crm = new FakeCrm({
    watch: ctrl.ctrl.cache,
    intake: crmIntake(stateDepsOf(ctrl)),
    cloudlet,
    flavors,
  }).start();

  const db = await createTestDb(servers.pg);
  const log = silentLogger();
  await migrate(db.db, log);
  const rbac = await createRbac(db.db);
  const area = createRegionsArea({
    config: mcConfigSchema.parse({ sqlUrl: db.url }),
    db: db.db,
    log,
    reg: new ObjectRegistry(allFiles),
    rbac,
    wsAuthenticate: (token) => Promise.resolve(testCaller(token)),
  });
  const app = createHttpApp({
    log,
    trace: new TraceContext(),
    authenticator: usernameAuthenticator,
    register: (routes) => area.register(routes),
  });
  const server = http.createServer(app);
  area.onServer?.(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    region,
    ctrl,
    crm,
    db,
    area,
    cloudlet,
    async post(path, body, user) {
      const res = await fetch(`${url}/api/v1/auth/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(user ? { authorization: `Bearer ${user}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      const lines = text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      return { status: res.status, body: lines.length === 1 ? (lines[0] ?? {}) : {}, lines };
    },
    grant: (user, org, role) => grantRole(db.db, user, org, role),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await area.close?.();
      crm.stop();
      await crm.idle();
      await ctrl.close();
      await db.drop();
    },
  };
}
