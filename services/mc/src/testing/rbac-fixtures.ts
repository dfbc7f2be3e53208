import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { unauthenticated } from '@edge/errors';
import { TraceContext, silentLogger } from '@edge/log';
import { testServers } from '@edge/testing';
import type { Caller } from '../auth/caller';
import type { Queryable } from '../db/db';
import { migrate } from '../db/migrate';
import { createHttpApp } from '../http/app';
import { ensureRolePerms } from '../rbac/matrix';
import { createRbacAreas, type RbacAreasDeps } from '../rbac/rbac-areas';
import { SqlAuthorizer } from '../rbac/sql-authorizer';
import { createTestDb, type TestDb } from './test-db';

/** A fresh migrated database with the built-in role permissions. */
export async function createRbacTestDb(): Promise<TestDb> {
  const t = await createTestDb(testServers().pg);
  await migrate(t.db, silentLogger());
  await ensureRolePerms(t.db);
  return t;
}

/** Inserts a user row directly (no password; PassCrackTimeSec set so admin roles may be granted). */
export async function insertUser(
  db: Queryable,
  name: string,
  opts: { passCrackTimeSec?: number } = {},
): Promise<void> {
  await db.query(
    `INSERT INTO users (name, email, email_verified, pass_crack_time_sec) VALUES ($1, $2, true, $3)`,
    [name, `${name.toLowerCase()}@example.com`, opts.passCrackTimeSec ?? 1e9],
  );
}

/** Inserts an org row directly. */
export async function insertOrg(
  db: Queryable,
  name: string,
  type: 'developer' | 'operator',
  opts: { edgeboxOnly?: boolean; deleteInProgress?: boolean } = {},
): Promise<void> {
  await db.query(
    `INSERT INTO organizations (name, type, edgebox_only, delete_in_progress) VALUES ($1, $2, $3, $4)`,
    [name, type, opts.edgeboxOnly ?? false, opts.deleteInProgress ?? false],
  );
}

/** Gives `subject` `role` in `org` ('' = global). */
export async function assignRole(db: Queryable, org: string, subject: string, role: string): Promise<void> {
  await db.query(`INSERT INTO role_assignments (org, subject, role) VALUES ($1, $2, $3)`, [
    org,
    subject,
    role,
  ]);
}

/** Registers a region row (pools refer to it). */
export async function insertRegion(db: Queryable, region: string): Promise<void> {
  await db.query(`INSERT INTO controllers (region, address, dns_region) VALUES ($1, $2, $3)`, [
    region,
    `127.0.0.1:${Math.floor(Math.random() * 50000) + 10000}-${region}`,
    region.toLowerCase(),
  ]);
}

/** A password-login caller named `username` (the RBAC subject is the name). */
export function testCaller(username: string): Caller {
  return {
    username,
    email: `${username.toLowerCase()}@example.com`,
    authType: 'passwordauth',
    apiKeyId: undefined,
    subject: username,
    iat: 0,
    firstIat: 0,
  };
}

/** A reply: status and parsed JSON body. */
export interface RbacReply {
  readonly status: number;
  readonly body: unknown;
}

/** The orgs/roles/pools routes over HTTP on a fresh database, with a stand-in Authenticator. */
export interface RbacTestServer {
  readonly t: TestDb;
  readonly authz: SqlAuthorizer;
  /** `POST /api/v1/auth/<path>` as `who` (a user name; `key:<id>` for an API-key caller). */
  post(who: string, path: string, body?: unknown): Promise<RbacReply>;
  close(): Promise<void>;
}

/**
 * Serves the RBAC areas the way the MC does (same HTTP layer) without the accounts area:
 * the bearer token is simply the caller's user name, so tests need no login.
 */
export async function startRbacTestServer(
  hooks: Pick<RbacAreasDeps, 'orgInUse' | 'poolExists'> = {},
): Promise<RbacTestServer> {
  const t = await createRbacTestDb();
  const authz = new SqlAuthorizer(t.db);
  const areas = createRbacAreas({ db: t.db, authz, ...hooks });
  const app = createHttpApp({
    log: silentLogger(),
    trace: new TraceContext(),
    authenticator: {
      authenticate: async ({ authorization }) => {
        const who = authorization?.replace(/^Bearer /, '');
        if (!who) throw unauthenticated('no bearer token found');
        if (who.startsWith('key:')) {
          const id = who.slice(4);
          return { ...testCaller('keyowner'), authType: 'apikeyauth', apiKeyId: id, subject: id };
        }
        return testCaller(who);
      },
    },
    register: (routes) => {
      for (const a of areas) a.register(routes);
    },
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    t,
    authz,
    async post(who, path, body = {}) {
      const res = await fetch(`${url}/api/v1/auth/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${who}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await t.drop();
    },
  };
}
