/**
 * Dev mode: starts the whole platform on this host with no system dependencies
 * (in-memory store, local platform). Services register here as they land; until
 * then it starts what exists and says what is still to come.
 */
import { createLogger } from '@edge/log';

interface DevService {
  name: string;
  start(): Promise<{ stop(): Promise<void> }>;
}

const services: DevService[] = [];
const pending = ['controller', 'crm', 'shepherd', 'dme', 'mc'];

async function main(): Promise<void> {
  const log = createLogger({ name: 'dev' });
  const running: { stop(): Promise<void> }[] = [];
  for (const svc of services) running.push(await svc.start());
  log.info({ running: services.map((s) => s.name), pending }, 'Edge Cloud dev mode up; Ctrl-C to stop');
  const stop = async (): Promise<void> => {
    for (const r of running.reverse()) await r.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (process.argv.includes('--once')) await stop();
  else setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
