/**
 * Dev mode: starts the whole platform on this host with no system dependencies (in-memory
 * store with a snapshot file under .dev-data/, unless EDGE_ETCD_URLS names an etcd). Each
 * service runs as its own process, as in production: the Controller, a DME, and for the dev
 * cloudlet `dev-op/local-edge` (created on first start, `local` platform) the CRM and
 * Shepherd the Controller starts for it. App instances run as local processes and keep
 * running across restarts (the CRM re-adopts them). Ctrl-C stops the services.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type Logger } from '@edge/log';
import { edgeproto } from '@edge/proto';
import { createClient, insecureClient } from '@edge/rpc';

const ROOT = join(__dirname, '..');
const DATA = join(ROOT, '.dev-data');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const API = '127.0.0.1:55001';
const DEV_CLOUDLET = { organization: 'dev-op', name: 'local-edge' };
const DME_GRPC = '127.0.0.1:50051';
const DME_REST = '127.0.0.1:38001';
const pending = ['mc'];

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
      `--apiAddr=${API}`,
      '--localCloudlets=true',
      `--dataDir=${DATA}`,
      `--memStoreFile=${join(DATA, 'controller-store.json')}`,
      `--secretsFile=${join(DATA, 'controller-secrets.enc')}`,
      `--secretsKeyFile=${join(DATA, 'controller-secrets.key')}`,
    ],
  },
  {
    name: 'dme',
    entry: 'services/dme/src/main.ts',
    args: [
      '--region=local',
      '--notifyAddrs=127.0.0.1:50001',
      `--apiAddr=${DME_GRPC}`,
      `--httpAddr=${DME_REST}`,
      `--secretsFile=${join(DATA, 'dme-secrets.enc')}`,
      `--secretsMasterKeyFile=${join(DATA, 'dme-secrets.key')}`,
    ],
  },
];

/** Creates the dev cloudlet unless it exists; the Controller then starts its CRM and Shepherd. */
async function ensureDevCloudlet(log: Logger): Promise<void> {
  const client = createClient(edgeproto.CloudletApi, API, { credentials: insecureClient() });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        for await (const c of client.showCloudlet({ key: DEV_CLOUDLET })) {
          log.info({ cloudlet: DEV_CLOUDLET, state: edgeproto.TrackedState[c.state] }, 'dev cloudlet exists');
          return;
        }
        break;
      } catch (err) {
        if (attempt >= 100) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const stream = client.createCloudlet({
      key: DEV_CLOUDLET,
      location: { latitude: 52.52, longitude: 13.405 },
      numDynamicIps: 100,
      platformType: edgeproto.PlatformType.LOCAL,
    });
    for await (const r of stream)
      if (!r.message.includes('PRIVATE KEY')) log.info({ progress: r.message }, 'dev cloudlet');
  } finally {
    client.close();
  }
}

function main(): void {
  const log = createLogger({ name: 'dev' });
  mkdirSync(DATA, { recursive: true });
  const children: ChildProcess[] = services.map((s) => {
    const child = spawn(TSX, [join(ROOT, s.entry), ...s.args], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code, signal) => log.info({ service: s.name, code, signal }, 'service exited'));
    return child;
  });
  const stop = (): void => {
    for (const c of children) c.kill('SIGTERM');
    setTimeout(() => process.exit(0), 6000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  ensureDevCloudlet(log)
    .then(() => {
      const dir = join(DATA, 'cloudlets', `${DEV_CLOUDLET.organization}__${DEV_CLOUDLET.name}`);
      log.info(
        {
          controller: { api: API, accessApi: '127.0.0.1:41001', notify: '127.0.0.1:50001' },
          dme: { grpc: DME_GRPC, rest: `http://${DME_REST}/v1/...` },
          cloudlet: DEV_CLOUDLET,
          crmLog: join(dir, 'crm.log'),
          shepherdLog: join(dir, 'shepherd.log'),
          pending,
        },
        'Edge Cloud dev mode up; Ctrl-C to stop',
      );
      if (process.argv.includes('--once')) stop();
    })
    .catch((err: unknown) => {
      log.error({ err }, 'dev cloudlet could not be brought up');
      stop();
    });
}

main();
