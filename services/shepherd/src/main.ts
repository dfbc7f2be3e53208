import { accessKeyMetadata, readAccessKeyFile } from '@edge/accesskey';
import { createLogger, TraceContext } from '@edge/log';
import { routeGrpcLogs } from '@edge/rpc';
import { loadShepherdConfig, parsePlatformType } from './config';
import { createShepherd } from './shepherd';

/** Reads configuration, starts the Shepherd and runs it until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const cfg = loadShepherdConfig({ env: process.env, argv: process.argv.slice(2) });
  const trace = new TraceContext();
  const log = createLogger({ name: 'shepherd', level: cfg.logLevel, trace }).child({ region: cfg.region });
  routeGrpcLogs(log);
  const key = cfg.cloudletKey;
  const pem = cfg.accessKeyFile ? await readAccessKeyFile(cfg.accessKeyFile) : undefined;
  const platform = cfg.platform ? parsePlatformType(cfg.platform) : undefined;
  const shepherd = createShepherd({
    cloudletKey: key,
    region: cfg.region,
    notifyAddrs: cfg.notifyAddrs,
    name: cfg.name,
    log,
    ...(platform !== undefined ? { platform } : {}),
    ...(cfg.healthCheckHost ? { healthCheckHost: cfg.healthCheckHost } : {}),
    // Signed like a CRM's stream: a parent that checks access keys knows whose Shepherd this is.
    ...(pem ? { notifyMetadata: () => accessKeyMetadata(pem, key) } : {}),
  });
  shepherd.start();

  const stop = async (): Promise<void> => {
    log.info('shepherd stopping');
    await shepherd.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
