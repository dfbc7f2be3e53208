import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { unauthenticated } from '@edge/errors';
import { TraceContext, silentLogger } from '@edge/log';
import { ObjectRegistry, allFiles } from '@edge/proto';
import { testServers } from '@edge/testing';
import { createAlertsArea, type AlertsArea } from '../alerts/alerts-area';
import { createAuditArea, type AuditArea } from '../audit/audit-area';
import type { Authenticator, Caller } from '../auth/caller';
import { mcConfigSchema, type McConfig } from '../config';
import { migrate } from '../db/migrate';
import { createHttpApp } from '../http/app';
import { createRbac } from '../rbac/create-rbac';
import { createTestDb, type TestDb } from './test-db';
import { grantRole } from './grant-role';

/** A caller for tests: the bearer token is the user name. */
export function testCaller(username: string): Caller {
  return {
    username,
    email: `${username}@example.com`,
    authType: 'passwordauth',
    apiKeyId: undefined,
    subject: username,
    iat: 0,
    firstIat: 0,
  };
}

/** `Authorization: Bearer <username>` → that user (tests of areas that do not need real logins). */
export const usernameAuthenticator: Authenticator = {
  authenticate: ({ authorization }) => {
    const m = /^Bearer (\S+)$/.exec(authorization ?? '');
    return m?.[1]
      ? Promise.resolve(testCaller(m[1]))
      : Promise.reject(unauthenticated('no bearer token found'));
  },
};

/** The alerts and audit areas on a fresh test database, served on loopback. */
export interface AreaTestApp {
  readonly url: string;
  readonly db: TestDb;
  readonly config: McConfig;
  readonly alerts: AlertsArea;
  readonly audit: AuditArea;
  /** `POST /api/v1/<path>` as `user` (its token is its name). */
  post<T = unknown>(path: string, body: unknown, user?: string): Promise<{ status: number; body: T }>;
  /** Gives `user` `role` in `org` ('' = global), creating the org (type from the role) when missing. */
  grant(user: string, org: string, role: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the alerts + audit areas with the real SQL RBAC and a username token authenticator. */
export async function startAreaTestApp(
  config: Partial<McConfig> = {},
  opts: { regionPollMs?: number } = {},
): Promise<AreaTestApp> {
  const db = await createTestDb(testServers().pg);
  const log = silentLogger();
  await migrate(db.db, log);
  const authorizer = await createRbac(db.db);
  const cfg = mcConfigSchema.parse({ sqlUrl: db.url, ...config });
  const audit = createAuditArea({ db: db.db, authorizer, log, writer: { flushMs: 10 } });
  const alerts = await createAlertsArea({
    config: cfg,
    db: db.db,
    reg: new ObjectRegistry(allFiles),
    authorizer,
    log,
    regionPollMs: opts.regionPollMs ?? 100,
  });
  const areas = [audit, alerts];
  const app = createHttpApp({
    log,
    trace: new TraceContext(),
    authenticator: usernameAuthenticator,
    audit: (e) => areas.forEach((a) => a.audit?.(e)),
    register: (routes) => areas.forEach((a) => a.register(routes)),
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db,
    config: cfg,
    alerts,
    audit,
    async post<T>(path: string, body: unknown, user?: string) {
      const res = await fetch(`${url}/api/v1/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(user ? { authorization: `Bearer ${user}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    grant: (user, org, role) => grantRole(db.db, user, org, role),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      for (const a of [...areas].reverse()) await a.close?.();
      await db.drop();
    },
  };
}
