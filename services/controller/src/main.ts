import { createLogger, TraceContext } from '@edge/log';
import { notifyServerMetric } from '@edge/notify';
import { ObjectRegistry, allFiles, type edgeproto } from '@edge/proto';
import {
  addService,
  createServer,
  insecureServer,
  listen,
  loadServerTls,
  routeGrpcLogs,
  type Listening,
} from '@edge/rpc';
import { FileSecretStore } from '@edge/secrets';
import { EtcdStore, MemStore, type KVStore } from '@edge/store';
import { createAccessApi } from './access';
import { commitAccessKey } from './access/commit-access-key';
import { loadControllerConfig } from './config';
import { LocalCloudlets, secondaryAccessKeyWriter, sourceTreeLauncher } from './local-crm';
import { createController } from './controller';
import { controllerNotifyServer } from './notify';

/** Reads configuration, wires the Controller and serves it until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const cfg = loadControllerConfig({ env: process.env, argv: process.argv.slice(2) });
  const trace = new TraceContext();
  const log = createLogger({ name: 'controller', level: cfg.logLevel, trace }).child({ region: cfg.region });
  routeGrpcLogs(log);
  const reg = new ObjectRegistry(allFiles);
  const kv: KVStore = cfg.etcdUrls
    ? new EtcdStore({ endpoints: cfg.etcdUrls.split(','), log })
    : new MemStore({ ...(cfg.memStoreFile ? { snapshotFile: cfg.memStoreFile } : {}), log });
  const secrets = await FileSecretStore.open({
    file: cfg.secretsFile,
    masterKeyFile: cfg.secretsKeyFile,
    log,
  });
  const ctrl = createController({
    reg,
    kv,
    region: cfg.region,
    log,
    apiAddr: cfg.externalApiAddr || cfg.apiAddr,
    influxAddr: cfg.influxAddr,
    notifyChangeLog: cfg.notifyChangeLog,
  });
  await ctrl.start();

  const credentials = cfg.tlsCert
    ? await loadServerTls({
        certFile: cfg.tlsCert,
        keyFile: cfg.tlsKey,
        ...(cfg.tlsCa ? { caFile: cfg.tlsCa } : {}),
      })
    : insecureServer();
  const api = createServer();
  for (const { service, impl } of ctrl.services) addService(api, service, impl as never, { log, trace });
  const access = createAccessApi({
    secrets,
    log,
    lookupCloudlet: async (keyJson) => ctrl.cache.type('Cloudlet').get(keyJson) as never,
    commitAccessKey: commitAccessKey(ctrl.apiDeps),
    ...(cfg.fastAuthFailures ? { badAuthDelayMs: 0 } : {}),
  });
  const accessServer = createServer();
  access.register(accessServer, { log, trace });

  const notify = controllerNotifyServer({
    reg,
    cache: ctrl.cache,
    ...ctrl.notify,
    requireAccessKey: cfg.requireNotifyAccessKey,
    ...(cfg.fastAuthFailures ? { badAuthDelayMs: 0 } : {}),
    log,
  });
  const notifyServer = createServer();
  notify.register(notifyServer, { log, trace });

  const servers: Listening[] = [
    await listen(api, cfg.apiAddr, credentials),
    await listen(accessServer, cfg.accessApiAddr, credentials),
    await listen(notifyServer, cfg.notifyAddr, credentials),
  ];
  log.info(
    {
      apiAddr: cfg.apiAddr,
      accessApiAddr: cfg.accessApiAddr,
      notifyAddr: cfg.notifyAddr,
      etcd: cfg.etcdUrls || 'memory',
      influx: cfg.influxAddr || 'disabled',
      localCloudlets: cfg.localCloudlets,
    },
    'controller up',
  );

  const local = cfg.localCloudlets
    ? new LocalCloudlets({
        cloudlets: ctrl.cache.type<edgeproto.Cloudlet>('Cloudlet'),
        registerAccessKey: secondaryAccessKeyWriter(reg, ctrl.store),
        region: cfg.region,
        notifyAddr: cfg.notifyAddr,
        accessApiAddr: cfg.accessApiAddr,
        dataDir: cfg.dataDir,
        launch: sourceTreeLauncher(),
        log,
      })
    : undefined;
  local?.start();

  const tags = { region: cfg.region, controller: cfg.externalApiAddr || cfg.apiAddr };
  const metrics = cfg.influxAddr
    ? setInterval(() => ctrl.recordMetric(notifyServerMetric(notify.server, tags)), cfg.notifyMetricsInterval)
    : undefined;

  const stop = async (): Promise<void> => {
    log.info('controller stopping');
    clearInterval(metrics);
    await local?.stop();
    await notify.server.close(); // children flushed while the store is still there
    for (const s of servers) await s.close();
    await ctrl.stop();
    await kv.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
