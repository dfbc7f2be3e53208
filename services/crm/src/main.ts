import { createLogger } from '@edge/log';
import { createPlatform } from '@edge/platform';
import { edgeproto } from '@edge/proto';
import { loadClientTls, loadServerTls, routeGrpcLogs } from '@edge/rpc';
import { loadCrmConfig } from './config';
import { createCrm } from './crm';

const PLATFORMS = { fake: edgeproto.PlatformType.FAKE, local: edgeproto.PlatformType.LOCAL } as const;

/** Reads configuration, wires the CRM and runs it until SIGINT/SIGTERM (instances keep running). */
async function main(): Promise<void> {
  const cfg = loadCrmConfig({ env: process.env, argv: process.argv.slice(2) });
  const { key } = cfg;
  const log = createLogger({ name: 'crm', level: cfg.logLevel }).child({
    region: cfg.region,
    cloudlet: `${key.organization}/${key.name}`,
  });
  routeGrpcLogs(log);
  const clientTls = cfg.tlsCa
    ? await loadClientTls({
        caFile: cfg.tlsCa,
        ...(cfg.tlsCert ? { certFile: cfg.tlsCert } : {}),
        ...(cfg.tlsKey ? { keyFile: cfg.tlsKey } : {}),
      })
    : undefined;
  const serverTls = cfg.notifySrvTlsCert
    ? await loadServerTls({
        certFile: cfg.notifySrvTlsCert,
        keyFile: cfg.notifySrvTlsKey,
        ...(cfg.tlsCa ? { caFile: cfg.tlsCa } : {}),
      })
    : undefined;

  const crm = createCrm({
    cloudletKey: key,
    region: cfg.region,
    notifyAddrs: cfg.notifyAddrs,
    platform: (cloudlet) => {
      const type = cfg.platform ? PLATFORMS[cfg.platform] : cloudlet.platformType;
      log.info({ platform: edgeproto.PlatformType[type] }, 'platform chosen');
      return createPlatform(type);
    },
    dataDir: cfg.dataDir || `.dev-data/crm-${key.organization}-${key.name}`,
    appDnsRoot: cfg.appDnsRoot,
    containerVersion: cfg.containerVersion,
    ...(cfg.accessKeyFile
      ? {
          accessKey: {
            file: cfg.accessKeyFile,
            ...(cfg.accessApiAddr ? { apiAddr: cfg.accessApiAddr } : {}),
            ...(clientTls ? { credentials: clientTls } : {}),
          },
        }
      : {}),
    ...(clientTls ? { notifyCredentials: clientTls } : {}),
    ...(cfg.notifySrvAddr ? { notifySrvAddr: cfg.notifySrvAddr } : {}),
    ...(serverTls ? { notifySrvCredentials: serverTls } : {}),
    controllerTimeoutMs: cfg.controllerTimeout,
    stopGraceMs: cfg.stopGrace,
    log,
  });

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await crm.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    await crm.start();
  } catch (err) {
    log.fatal({ err }, err instanceof Error ? err.message : String(err));
    // Give the ERRORS CloudletInfo a moment to reach the Controller before exiting.
    await new Promise((r) => setTimeout(r, 500));
    await stop(1);
    return;
  }
  log.info(
    { notifyAddrs: cfg.notifyAddrs, notifySrvAddr: crm.notifySrvAddress() ?? 'disabled' },
    'CRM up, cloudlet READY',
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
