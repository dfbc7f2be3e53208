import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** An etcd endpoint for a benchmark, and how to give it back. */
export interface BenchEtcd {
  readonly endpoint: string;
  /** Stops the test servers if this run started them. */
  release(): void;
}

/**
 * `EDGE_TEST_ETCD` when set; else the etcd of `scripts/test-env` (reused when already running,
 * started otherwise and then stopped by `release()`).
 */
export function benchEtcd(root: string, env: NodeJS.ProcessEnv = process.env): BenchEtcd {
  const given = env['EDGE_TEST_ETCD'];
  if (given) return { endpoint: given, release: () => undefined };
  const script = join(root, 'scripts', 'test-env');
  const wasRunning = spawnSync('bash', [script, 'status'], { stdio: 'ignore' }).status === 0;
  if (!wasRunning) execFileSync('bash', [script, 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const lines = execFileSync('bash', [script, 'env'], { encoding: 'utf8' });
  const endpoint = /EDGE_TEST_ETCD='([^']+)'/.exec(lines)?.[1];
  if (!endpoint) throw new Error(`no EDGE_TEST_ETCD in scripts/test-env env output:\n${lines}`);
  return {
    endpoint,
    release: () => {
      if (!wasRunning) execFileSync('bash', [script, 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });
    },
  };
}
