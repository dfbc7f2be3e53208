/**
 * Access to the real test servers (etcd, PostgreSQL, InfluxDB 1.x, Alertmanager) that
 * `scripts/test-env` starts and describes through `EDGE_TEST_*` environment variables.
 * See docs/adr/0002-test-env.md.
 */
import { randomBytes } from 'node:crypto';

/** Addresses of the real test servers started by `scripts/test-env`. */
export interface TestServers {
  /** etcd client endpoint as `host:port`, e.g. `127.0.0.1:23791` (etcd3: `hosts: \`http://${etcd}\``). */
  readonly etcd: string;
  /** PostgreSQL connection URL (user `postgres`, trust auth, database `postgres`). */
  readonly pg: string;
  /** InfluxDB 1.x HTTP base URL, e.g. `http://127.0.0.1:28086`. */
  readonly influx: string;
  /** Alertmanager HTTP base URL, e.g. `http://127.0.0.1:29093` (API under `/api/v2`). */
  readonly alertmanager: string;
  /** Port on 127.0.0.1 where Alertmanager delivers every notification (`POST /alerts`); tests listen there. */
  readonly amWebhookPort: number;
}

/** The environment variable behind each field of {@link TestServers}. */
export const TEST_SERVER_ENV: Readonly<Record<keyof TestServers, string>> = Object.freeze({
  etcd: 'EDGE_TEST_ETCD',
  pg: 'EDGE_TEST_PG',
  influx: 'EDGE_TEST_INFLUX',
  alertmanager: 'EDGE_TEST_ALERTMANAGER',
  amWebhookPort: 'EDGE_TEST_AM_WEBHOOK_PORT',
});

/** How to get the variables set; used in error and warning messages. */
const HOW_TO_RUN =
  'run the tests via `npm test` (= scripts/test-env run -- jest), or `scripts/test-env start` then ' +
  '`eval "$(scripts/test-env env)"`';

type Env = Readonly<Record<string, string | undefined>>;

/** Names of the `EDGE_TEST_*` variables that are missing or empty in `env`. */
export function missingTestServerEnv(env: Env = process.env): string[] {
  return Object.values(TEST_SERVER_ENV).filter((name) => !env[name]);
}

/**
 * The test server addresses from the `EDGE_TEST_*` variables.
 * @throws Error naming the missing variables and how to set them.
 */
export function testServers(env: Env = process.env): TestServers {
  const missing = missingTestServerEnv(env);
  if (missing.length > 0) {
    throw new Error(`test servers not configured (${missing.join(', ')} unset): ${HOW_TO_RUN}`);
  }
  const get = (key: keyof TestServers): string => env[TEST_SERVER_ENV[key]] ?? '';
  const amWebhookPort = Number(get('amWebhookPort'));
  if (!Number.isInteger(amWebhookPort) || amWebhookPort <= 0 || amWebhookPort > 65535) {
    throw new Error(`${TEST_SERVER_ENV.amWebhookPort} is not a port: ${get('amWebhookPort')}`);
  }
  return {
    etcd: get('etcd'),
    pg: get('pg'),
    influx: get('influx'),
    alertmanager: get('alertmanager'),
    amWebhookPort,
  };
}

/** True when `CI` is set to anything but an empty string, `0` or `false`. */
function isCi(env: Env): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * A jest `describe` block that needs the real test servers; `body` receives their addresses.
 *
 * When the `EDGE_TEST_*` variables are missing: under CI (`CI` set) this throws, failing the test file,
 * so a misconfigured pipeline cannot pass by skipping; locally it prints one warning line to stderr and
 * registers the block as skipped.
 *
 * @example
 * describeWithServers('store (postgres)', (servers) => {
 *   let client: pg.Client;
 *   beforeAll(async () => { client = new pg.Client(servers.pg); await client.connect(); });
 *   afterAll(() => client.end());
 *   test('select 1', async () => expect((await client.query('select 1 as x')).rows).toEqual([{ x: 1 }]));
 * });
 */
export function describeWithServers(
  name: string,
  body: (servers: TestServers) => void,
  env: Env = process.env,
): void {
  const missing = missingTestServerEnv(env);
  if (missing.length === 0) {
    const servers = testServers(env);
    describe(name, () => body(servers));
    return;
  }
  if (isCi(env)) {
    throw new Error(`"${name}" needs the test servers but ${missing.join(', ')} unset; ${HOW_TO_RUN}`);
  }
  process.stderr.write(`test-env: skipping "${name}": ${missing.join(', ')} unset; ${HOW_TO_RUN}\n`);
  describe.skip(name, () => {
    test('needs the real test servers (scripts/test-env)', () => undefined);
  });
}

/**
 * A name unlikely to clash between parallel jest workers sharing the same servers, for etcd key
 * prefixes, PostgreSQL schemas/tables and InfluxDB databases: `<prefix>_<pid>_<random hex>`
 * (lowercase letters, digits and `_` only, so it is a valid SQL identifier if `prefix` is).
 */
export function uniqueName(prefix = 't'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
