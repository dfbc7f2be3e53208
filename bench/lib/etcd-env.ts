import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The `EDGE_TEST_*` servers of `scripts/test-env` for a benchmark, and how to give them back. */
export interface BenchServers {
  /** `EDGE_TEST_*` variables (etcd, PostgreSQL, InfluxDB, Alertmanager addresses). */
  readonly env: Readonly<Record<string, string>>;
  /** Stops the test servers if this run started them. */
  release(): void;
}

/** An etcd endpoint for a benchmark, and how to give it back. */
export interface BenchEtcd {
  readonly endpoint: string;
  release(): void;
}

/**
 * The servers of `scripts/test-env`: the `EDGE_TEST_*` variables already set, else the
 * running test-env (started now when not running, and then stopped by `release()`).
 */
export function benchServers(root: string, env: NodeJS.ProcessEnv = process.env): BenchServers {
  if (env['EDGE_TEST_ETCD'] && env['EDGE_TEST_PG']) {
    const given = Object.fromEntries(
      Object.entries(env).filter((e): e is [string, string] => e[0].startsWith('EDGE_TEST_') && !!e[1]),
    );
    return { env: given, release: () => undefined };
  }
  const script = join(root, 'scripts', 'test-env');
  const wasRunning = spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status === 0;
  if (!wasRunning) execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const lines = execFileSync('bash', [script, 'env'], { encoding: 'utf8' });
  const vars: Record<string, string> = {};
  for (const m of lines.matchAll(/(EDGE_TEST_[A-Z_]+)='([^']*)'/g)) vars[m[1] as string] = m[2] as string;
  if (!vars['EDGE_TEST_ETCD']) throw new Error(`no EDGE_TEST_ETCD in scripts/test-env env output:\n${lines}`);
  return {
    env: vars,
    release: () => {
      if (!wasRunning) execFileSync('bash', [script, 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
    },
  };
}

/** `EDGE_TEST_ETCD` of {@link benchServers}. */
export function benchEtcd(root: string, env: NodeJS.ProcessEnv = process.env): BenchEtcd {
  const s = benchServers(root, env);
  return { endpoint: s.env['EDGE_TEST_ETCD'] as string, release: s.release };
}
