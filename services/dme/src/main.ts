import { createLogger } from '@edge/log';
import { FileSecretStore, MemorySecretStore } from '@edge/secrets';
import { routeGrpcLogs } from '@edge/rpc';
import { loadDmeConfig } from './config';
import { createDme, createOperatorApi } from './dme';

/** Reads configuration, wires the DME and runs it until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const cfg = loadDmeConfig({ env: process.env, argv: process.argv.slice(2) });
  const log = createLogger({ name: 'dme', level: cfg.logLevel }).child({ region: cfg.region, dme: cfg.name });
  routeGrpcLogs(log);
  const secrets = cfg.secretsFile
    ? await FileSecretStore.open({
        file: cfg.secretsFile,
        masterKeyFile: cfg.secretsMasterKeyFile || `${cfg.secretsFile}.key`,
        log,
      })
    : new MemorySecretStore();
  if (!cfg.secretsFile) log.warn('no --secretsFile: cookie keys live in memory and die with this process');
  const d = createDme({
    apiAddr: cfg.apiAddr,
    httpAddr: cfg.httpAddr,
    notifyAddrs: cfg.notifyAddrs,
    secrets,
    name: cfg.name,
    cloudletOrg: cfg.cloudletOrg,
    cloudlet: cfg.cloudlet,
    cookieExpirationMs: cfg.cookieExpiration,
    edgeEventsCookieExpirationMs: cfg.edgeEventsCookieExpiration,
    keyReloadIntervalMs: cfg.keyReloadInterval,
    tokenServerUri: cfg.toksrvurl,
    operator: createOperatorApi({
      locVerUrl: cfg.locVerUrl,
      tokSrvUrl: cfg.toksrvurl,
      qosSesAddr: cfg.qosSesAddr,
      qosSesApiKey: cfg.qosSesApiKey,
      log,
    }),
    rateLimits: { perIp: cfg.rateLimitPerIp, perApi: cfg.rateLimitPerApi },
    metricsIntervalMs: cfg.metricsInterval,
    autoProvIntervalMs: cfg.autoProvInterval,
    log,
  });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await d.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await d.start();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
