/**
 * Dev mode: starts the whole platform on this host with no system dependencies
 * (in-memory store with a snapshot file under .dev-data/, local platform). Each
 * service runs as its own process, as in production; Ctrl-C stops them all.
 * Services register here as they land.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@edge/log';

const ROOT = join(__dirname, '..');
const DATA = join(ROOT, '.dev-data');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface DevService {
  name: string;
  entry: string;
  args: string[];
}

const services: DevService[] = [
  {
    name: 'controller',
    entry: 'services/controller/src/main.ts',
    args: [
      '--region=local',
      `--memStoreFile=${join(DATA, 'controller-store.json')}`,
      `--secretsFile=${join(DATA, 'controller-secrets.enc')}`,
      `--secretsKeyFile=${join(DATA, 'controller-secrets.key')}`,
    ],
  },
];
const pending = ['crm', 'shepherd', 'dme', 'mc'];

function main(): void {
  const log = createLogger({ name: 'dev' });
  mkdirSync(DATA, { recursive: true });
  const children: ChildProcess[] = services.map((s) => {
    const child = spawn(TSX, [join(ROOT, s.entry), ...s.args], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code, signal) => log.info({ service: s.name, code, signal }, 'service exited'));
    return child;
  });
  log.info(
    { running: services.map((s) => s.name), pending, controller: '127.0.0.1:55001' },
    'Edge Cloud dev mode up; Ctrl-C to stop',
  );
  const stop = (): void => {
    for (const c of children) c.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (process.argv.includes('--once')) setTimeout(stop, 3000);
}

main();
