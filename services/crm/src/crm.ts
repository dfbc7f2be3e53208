import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { create, createRegistry } from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';
import { accessKeyMetadata, cloudletKeyJson, readAccessKeyFile, upgradeAccessKeyFile } from '@edge/accesskey';
import { Code, EdgeError } from '@edge/errors';
import type { Logger } from '@edge/log';
import { NotifyClient, registryCodec, type BackoffOptions, type NotifyServer } from '@edge/notify';
import type { Platform } from '@edge/platform';
import { allFiles, dme, edgeproto, ObjectRegistry } from '@edge/proto';
import { Reconciler } from '@edge/reconcile';
import { createServer, insecureServer, listen, type Listening } from '@edge/rpc';
import { CloudletInfoReporter } from './cloudlet-info';
import { cloudletChanged } from './cloudlet-watch';
import { CrmCache } from './crm-cache';
import { InstInfos } from './infos';
import { instId, instReconcile, leftoverIds } from './inst-reconcile';
import { kindOfType } from './kinds';
import { StatePersister } from './persister';
import { initPlatform } from './platform-init';
import { ResourceSnapshots } from './resource-snapshots';
import { shepherdNotifyServer } from './shepherd-server';
import { readStateFile } from './state-file';
import { resourceSnapshotIntervalMs, settingsOf } from './time-limits';
import { typeOrder } from './type-order';
import { waitForValue, type ValueWaiter } from './wait-value';

const CLOUDLET = edgeproto.CloudletSchema.typeName;

/** What a CRM asks its Controller for (the original's InitClientNotify, the types this schema has). */
export const CRM_WANTS = [
  'Settings',
  'Flavor',
  'App',
  'AppInst',
  'Cloudlet',
  'VMPool',
  'ClusterInst',
  'ResTagTable',
  'GPUDriver',
  'Network',
  'TrustPolicy',
  'TrustPolicyException',
  'AutoProvPolicy',
  'AutoScalePolicy',
  'AlertPolicy',
  'CloudletPool',
].map((n) => `edgeproto.${n}`);

/** Message of the error a CRM exits with when its Controller does not send its Cloudlet (the original's). */
export const CONTROLLER_TIMEOUT = 'Timed out waiting for cloudlet cache from controller';

/** Everything a CRM is built from; `main.ts` fills it from configuration. */
export interface CrmDeps {
  readonly cloudletKey: edgeproto.CloudletKey;
  readonly region: string;
  /** The Controller's notify addresses, tried round-robin. */
  readonly notifyAddrs: readonly string[];
  /** Makes the platform of the cloudlet once its Cloudlet has arrived (its platform_type may decide). */
  readonly platform: (cloudlet: edgeproto.Cloudlet) => Platform | Promise<Platform>;
  /** Where the CRM keeps its state (and the platform its files) across restarts. */
  readonly dataDir: string;
  readonly appDnsRoot?: string;
  readonly containerVersion?: string;
  /**
   * The access key: read from `file`; with `apiAddr`, first upgraded through the
   * Controller's access API if the Controller requires it. Without it streams are unsigned.
   */
  readonly accessKey?: {
    readonly file: string;
    readonly apiAddr?: string;
    readonly credentials?: grpc.ChannelCredentials;
  };
  /** Credentials of the notify stream to the Controller; default insecure. */
  readonly notifyCredentials?: grpc.ChannelCredentials;
  /** Reconnect delays of the notify client. */
  readonly notifyBackoff?: BackoffOptions;
  /** Address of the notify server for Shepherd (`127.0.0.1:0` for any port); none when absent. */
  readonly notifySrvAddr?: string;
  readonly notifySrvCredentials?: grpc.ServerCredentials;
  /** How long to wait for the Cloudlet from the Controller at start; default 60 s. */
  readonly controllerTimeoutMs?: number;
  /** Instances reconciled at once; default 8. */
  readonly concurrency?: number;
  /** How long running operations may finish at stop before they are aborted; default 0. */
  readonly stopGraceMs?: number;
  /** How often the state file is brought up to date; default 500 ms. */
  readonly persistIntervalMs?: number;
  /** Period of the resource snapshot refresh; default Settings.resource_snapshot_thread_interval. */
  readonly resourceIntervalMs?: number;
  readonly log: Logger;
}

/** A running CRM. */
export interface Crm {
  /**
   * Runs the start sequence up to CloudletInfo READY (reference §5.2). Rejects with
   * `Timed out waiting for cloudlet cache from controller` or `Platform init fail`; call
   * `stop` then.
   */
  start(): Promise<void>;
  /** Stops everything it started; deployed instances keep running. */
  stop(): Promise<void>;
  /** Resolves once the first full sync after start is in and reconciling has begun. */
  readonly reconciling: Promise<void>;
  /** The desired state as received from the Controller. */
  readonly cache: CrmCache;
  readonly client: NotifyClient;
  /** The CloudletInfo last reported. */
  cloudletInfo(): edgeproto.CloudletInfo;
  /** The platform, once started. */
  platform(): Platform | undefined;
  /** Address of the notify server for Shepherd, once listening. */
  notifySrvAddress(): string | undefined;
  /** Resolves when no instance is queued or being reconciled. */
  idle(): Promise<void>;
}

/** Makes a CRM from its dependencies; nothing runs until `start`. */
export function createCrm(deps: CrmDeps): Crm {
  const keyJson = cloudletKeyJson(deps.cloudletKey);
  const log = deps.log.child({ component: 'crm', cloudlet: keyJson });
  const reg = new ObjectRegistry(allFiles);
  const registry = createRegistry(...allFiles);
  const codec = registryCodec(reg, registry);
  const order = typeOrder(reg);
  const stateFile = join(deps.dataDir, 'crm-state.json');
  const stopper = new AbortController();

  let cache = new CrmCache({ order });
  let client: NotifyClient | undefined;
  let platform: Platform | undefined;
  let info: CloudletInfoReporter | undefined;
  let persister: StatePersister | undefined;
  let shepherd: { server: NotifyServer; listening: Listening } | undefined;
  let resources: ResourceSnapshots | undefined;
  let reconciler: Reconciler | undefined;
  let cloudletWaiter: ValueWaiter<edgeproto.Cloudlet> | undefined;
  let privatePem: string | undefined;
  let startedReconciling = (): void => {};
  const reconciling = new Promise<void>((r) => (startedReconciling = r));

  const onChanges = (changes: readonly { type: string; key: string; obj?: unknown }[]): void => {
    for (const c of changes) {
      const kind = kindOfType(c.type);
      if (kind) reconciler?.enqueue(instId(kind, c.key));
      else if (c.type === CLOUDLET && c.key === keyJson && c.obj && info)
        cloudletChanged(info, c.obj as edgeproto.Cloudlet, log);
    }
  };

  const loadAccessKey = async (): Promise<string | undefined> => {
    const ak = deps.accessKey;
    if (!ak?.file) return undefined;
    if (!ak.apiAddr) return readAccessKeyFile(ak.file);
    const r = await upgradeAccessKeyFile({
      address: ak.apiAddr,
      cloudletKey: deps.cloudletKey,
      keyFile: ak.file,
      ...(ak.credentials ? { credentials: ak.credentials } : {}),
      signal: stopper.signal,
      log,
    });
    return r.privatePem;
  };

  const startShepherdServer = async (upward: NotifyClient): Promise<void> => {
    if (!deps.notifySrvAddr) return;
    const server = shepherdNotifyServer({ codec, cache, upward, name: `crm-${deps.cloudletKey.name}`, log });
    const grpcServer = createServer();
    server.register(grpcServer, { log, logCalls: false });
    const listening = await listen(
      grpcServer,
      deps.notifySrvAddr,
      deps.notifySrvCredentials ?? insecureServer(),
    );
    shepherd = { server, listening };
    log.info({ notifySrvAddr: shepherdAddress() }, 'notify server for Shepherd listening');
  };
  const shepherdAddress = (): string | undefined => {
    if (!shepherd || !deps.notifySrvAddr) return undefined;
    const host = deps.notifySrvAddr.slice(0, deps.notifySrvAddr.lastIndexOf(':')) || '127.0.0.1';
    return `${host}:${shepherd.listening.port}`;
  };

  /** After the first full sync: reconcile everything desired and everything left on the platform. */
  const reconcileAfterSync = async (c: NotifyClient, r: Reconciler, p: Platform): Promise<void> => {
    await Promise.race([c.waitSynced(), new Promise((res) => stopper.signal.addEventListener('abort', res))]);
    if (stopper.signal.aborted) return;
    const ids: string[] = [];
    for (const type of [edgeproto.AppInstSchema.typeName, edgeproto.ClusterInstSchema.typeName]) {
      const kind = kindOfType(type);
      if (kind) ids.push(...cache.keys(type).map((k) => instId(kind, k)));
    }
    try {
      ids.push(...(await leftoverIds({ platform: p, cache })));
    } catch (err) {
      log.warn({ err }, 'listing the platform failed; leftovers are not looked for');
    }
    log.info({ instances: ids.length }, 'synced with the controller, reconciling');
    r.enqueueAll(ids);
    r.start();
    startedReconciling();
  };

  return {
    reconciling,
    get cache() {
      return cache;
    },
    get client() {
      if (!client) throw new Error('crm: not started');
      return client;
    },
    cloudletInfo: () => info?.current ?? create(edgeproto.CloudletInfoSchema, { key: deps.cloudletKey }),
    platform: () => platform,
    notifySrvAddress: shepherdAddress,
    idle: () => reconciler?.idle() ?? Promise.resolve(),

    async start() {
      await mkdir(deps.dataDir, { recursive: true });
      const saved = await readStateFile(stateFile, keyJson, registry);
      cache = new CrmCache({ order, ...(saved ? { restore: saved.cache } : {}) });
      log.info(
        { restored: saved?.cache.objects.length ?? 0, resumeFrom: saved?.notifyRevision ?? 0 },
        'CRM starting',
      );
      privatePem = await loadAccessKey();
      const waiter = waitForValue<edgeproto.Cloudlet>();
      cloudletWaiter = waiter;
      const c = new NotifyClient({
        ...codec,
        addresses: deps.notifyAddrs,
        name: `crm-${deps.cloudletKey.name}`,
        wants: CRM_WANTS.filter((t) => registry.getMessage(t) !== undefined),
        filterCloudletKey: true,
        initialRevision: saved?.notifyRevision ?? 0,
        sink: {
          apply: (change) => {
            cache.apply(change);
            if (change.type === CLOUDLET && change.key === keyJson && change.obj)
              waiter.resolve(change.obj as edgeproto.Cloudlet);
          },
          prune: (types, keep) => cache.prune(types, keep),
        },
        ...(privatePem ? { metadata: () => accessKeyMetadata(privatePem ?? '', deps.cloudletKey) } : {}),
        ...(deps.notifyCredentials ? { rpc: { credentials: deps.notifyCredentials } } : {}),
        ...(deps.notifyBackoff ? { backoff: deps.notifyBackoff } : {}),
        log,
      });
      client = c;
      const reporter = new CloudletInfoReporter(c, deps.cloudletKey, keyJson);
      info = reporter;
      const infos = new InstInfos(c);
      const snapshots = new ResourceSnapshots({ platform: () => platform, info: reporter, log });
      resources = snapshots;
      const shared = {
        infos,
        log,
        resources: snapshots,
        get platform(): Platform {
          if (!platform) throw new Error('crm: platform not initialized');
          return platform;
        },
        cache,
        cloudletKeyJson: keyJson,
        codec,
      };
      reconciler = new Reconciler({
        reconcile: instReconcile(shared),
        concurrency: deps.concurrency ?? 8,
        name: 'crm-reconciler',
        log,
      });
      cache.subscribe((changes) => onChanges(changes));
      persister = new StatePersister({
        file: stateFile,
        cloudlet: keyJson,
        cache,
        revision: () => c.revision,
        registry,
        ...(deps.persistIntervalMs ? { intervalMs: deps.persistIntervalMs } : {}),
        log,
      });
      persister.start();
      await startShepherdServer(c);

      c.start();
      reporter.update((i) => {
        i.state = dme.CloudletState.INIT;
        i.containerVersion = deps.containerVersion ?? '';
      });
      const timeoutMs = deps.controllerTimeoutMs ?? 60_000;
      const cloudlet = await waiter.wait(timeoutMs, stopper.signal);
      if (stopper.signal.aborted) throw new EdgeError(Code.CANCELLED, 'CRM stopped while starting');
      if (!cloudlet) throw new EdgeError(Code.DEADLINE_EXCEEDED, CONTROLLER_TIMEOUT);
      log.info({ state: edgeproto.TrackedState[cloudlet.state] }, 'cloudlet received from the controller');

      const p = await initPlatform({
        platform: () => deps.platform(cloudlet),
        made: (made) => (platform = made),
        cloudlet: cache.get<edgeproto.Cloudlet>(CLOUDLET, keyJson) ?? cloudlet,
        info: reporter,
        config: {
          region: deps.region,
          dataDir: join(deps.dataDir, 'platform'),
          appDnsRoot: deps.appDnsRoot ?? 'mobiledgex.net',
        },
        signal: stopper.signal,
        log,
      });
      const current = cache.get<edgeproto.Cloudlet>(CLOUDLET, keyJson);
      if (current) cloudletChanged(reporter, current, log);
      snapshots.startPeriodic(
        () => deps.resourceIntervalMs ?? resourceSnapshotIntervalMs(settingsOf((t, k) => cache.get(t, k))),
      );
      void reconcileAfterSync(c, reconciler, p).catch((err: unknown) =>
        log.error({ err }, 'starting the reconciler failed'),
      );
    },

    async stop() {
      log.info('CRM stopping');
      stopper.abort();
      cloudletWaiter?.cancel();
      await reconciler?.stop({ graceMs: deps.stopGraceMs ?? 0 });
      await resources?.stop();
      await persister?.stop();
      await client?.stop();
      if (shepherd) {
        await shepherd.server.close();
        await shepherd.listening.close(100);
      }
      await platform?.close();
      log.info('CRM stopped');
    },
  };
}
