import { TraceContext, createLogger, silentLogger } from '@edge/log';
import { ObjectRegistry, allFiles } from '@edge/proto';
import { MemorySecretStore } from '@edge/secrets';
import { testServers } from '@edge/testing';
import { mcConfigSchema, type McConfig } from '../config';
import { createMc, type Mc } from '../mc';
import { createTestDb, type TestDb } from './test-db';

/** The superuser every test MC is created with. */
export const TEST_ADMIN = { username: 'mexadmin', password: 'Edge-Cloud-Test-Admin-Pw-2026!' } as const;

/** A reply of the MC: HTTP status and the parsed JSON body (or the JSON lines of a stream). */
export interface McReply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  /** Every JSON line, for streamed replies. */
  readonly lines: unknown[];
  readonly headers: Headers;
}

/** An MC on its own fresh database on the test PostgreSQL, serving on a free loopback port. */
export interface TestMc {
  readonly url: string;
  readonly mc: Mc;
  readonly db: TestDb;
  readonly config: McConfig;
  /** `POST /api/v1/<path>` with `body`, as `token`'s holder when given. */
  post<T = Record<string, unknown>>(path: string, body?: unknown, token?: string): Promise<McReply<T>>;
  /** Logs in and returns the token; throws unless the login succeeds. */
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a test MC; `config` overrides its options (bad-auth delay 0 unless set). */
export async function startTestMc(
  config: Partial<McConfig> = {},
  opts: { now?: () => number } = {},
): Promise<TestMc> {
  const servers = testServers();
  const db = await createTestDb(servers.pg);
  const cfg = mcConfigSchema.parse({
    addr: '127.0.0.1:0',
    sqlUrl: db.url,
    superuser: TEST_ADMIN.username,
    superpass: TEST_ADMIN.password,
    badAuthDelay: 0,
    ...config,
  });
  const mc = await createMc({
    config: cfg,
    db: db.db,
    log: process.env['MC_TEST_LOG'] ? createLogger({ name: 'mc', level: 'debug' }) : silentLogger(),
    trace: new TraceContext(),
    reg: new ObjectRegistry(allFiles),
    secrets: new MemorySecretStore(),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const port = await mc.listen(cfg.addr);
  const url = `http://127.0.0.1:${port}`;
  const post = async <T>(path: string, body: unknown = {}, token?: string): Promise<McReply<T>> => {
    const res = await fetch(`${url}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    const lines = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
    return {
      status: res.status,
      body: (lines.length === 1 ? lines[0] : {}) as T,
      lines,
      headers: res.headers,
    };
  };
  return {
    url,
    mc,
    db,
    config: cfg,
    post,
    async login(username, password) {
      const r = await post<{ token?: string; message?: string }>('login', { username, password });
      if (r.status !== 200 || !r.body.token)
        throw new Error(`login ${username}: ${r.status} ${r.body.message}`);
      return r.body.token;
    },
    async close() {
      await mc.close();
      await db.drop();
    },
  };
}
