import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger, TraceContext } from '@edge/log';
import type { ObjectRegistry } from '@edge/proto';
import type { SecretStore } from '@edge/secrets';
import type { Authenticator } from './auth/caller';
import type { McConfig } from './config';
import type { Db } from './db/db';
import { migrate } from './db/migrate';
import { createHttpApp, type AuditEntry } from './http/app';
import { createAccountsArea } from './users/accounts-area';
import { createAlertsArea } from './alerts/alerts-area';
import { createAuditArea } from './audit/audit-area';
import { createRbac } from './rbac/create-rbac';
import { createRegionsArea } from './regions/area';
import { orgInUseAcrossRegions, poolExistsInRegion } from './regions/org-hooks';
import { createRbacAreas } from './rbac/rbac-areas';
import type { McRoutes } from './http/routes';

/** Everything the MC needs from outside; `main.ts` (or a test) builds it. */
export interface McDeps {
  readonly config: McConfig;
  readonly db: Db;
  readonly log: Logger;
  readonly trace: TraceContext;
  readonly reg: ObjectRegistry;
  /** Token signing keys live here (rotated by `kid`). */
  readonly secrets: SecretStore;
  /** Clock in ms (tests move it). */
  readonly now?: () => number;
}

/** A running MC: its HTTP handler plus background work (alert pushing, region connections). */
export interface Mc {
  readonly app: http.RequestListener;
  /** Serves on `addr` (`host:port`, port 0 = any); resolves the bound port. */
  listen(addr: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * One part of the MC (accounts, RBAC and orgs, regions and the Controller proxy, alerts
 * and audit): its routes, hooks on the HTTP server (websockets) and what to stop.
 */
export interface McArea {
  readonly register: (routes: McRoutes) => void;
  readonly onServer?: (server: http.Server) => void;
  readonly audit?: (entry: AuditEntry) => void;
  readonly close?: () => Promise<void>;
}

/** Migrates the schema and wires the MC's areas; call `listen` to serve. */
export async function createMc(deps: McDeps): Promise<Mc> {
  await migrate(deps.db, deps.log);
  // RBAC decisions for every area (pass `authz` to area factories); one SQL query each.
  const authz = await createRbac(deps.db);

  // Areas are added here as they are built; each owns its routes and background work.
  const areas: McArea[] = [];
  areas.push(
    createAuditArea({
      db: deps.db,
      authorizer: authz,
      log: deps.log,
      ...(deps.now ? { now: deps.now } : {}),
    }),
  );
  areas.push(await createAlertsArea({ ...deps, authorizer: authz }));
  const accounts = await createAccountsArea({ ...deps, authz });
  areas.push(accounts);
  // Region registry, Controller proxy (HTTP + websocket), metrics; `regions.regions` is the registry.
  const regions = createRegionsArea({
    ...deps,
    rbac: authz,
    wsAuthenticate: (t) => accounts.authenticator.authenticateToken(t),
  });
  areas.push(regions);
  areas.push(
    ...createRbacAreas({
      db: deps.db,
      authz,
      orgInUse: orgInUseAcrossRegions(regions.regions),
      poolExists: poolExistsInRegion(regions.regions),
    }),
  );
  const authenticator: Authenticator = accounts.authenticator;

  const app = createHttpApp({
    log: deps.log,
    trace: deps.trace,
    authenticator,
    rateLimit: accounts.rateLimit,
    audit: (entry) => {
      for (const a of areas) a.audit?.(entry);
    },
    register: (routes) => {
      for (const a of areas) a.register(routes);
    },
  });

  const servers: http.Server[] = [];
  return {
    app,
    async listen(addr) {
      const i = addr.lastIndexOf(':');
      const server = http.createServer(app);
      for (const a of areas) a.onServer?.(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(addr.slice(i + 1)), addr.slice(0, i), resolve);
      });
      servers.push(server);
      return (server.address() as AddressInfo).port;
    },
    async close() {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
      for (const a of [...areas].reverse()) await a.close?.();
    },
  };
}
