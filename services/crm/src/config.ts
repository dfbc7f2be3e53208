import { parseCloudletKeyJson } from '@edge/accesskey';
import { duration, hostPort, hostPortList, loadConfig, z, type ConfigSources } from '@edge/config';
import { Code, EdgeError } from '@edge/errors';
import type { edgeproto } from '@edge/proto';

/** CRM options; flags use these names (`--cloudletKey=…`), env `EDGE_CLOUDLET_KEY` etc. */
export const crmConfigSchema = z.object({
  /** The cloudlet this CRM runs, as key JSON: `{"organization":"op","name":"c1"}`. */
  cloudletKey: z.string(),
  region: z.string().regex(/^\w+$/, 'expected letters, digits and _').default('local'),
  /** The Controller's notify addresses, comma-separated. */
  notifyAddrs: hostPortList().default(['127.0.0.1:50001']),
  /** Private access key (PEM) file; empty = streams are not signed (dev). */
  accessKeyFile: z.string().default(''),
  /** The Controller's access API, for UpgradeAccessKey at start; empty = no upgrade. */
  accessApiAddr: z.string().default('127.0.0.1:41001'),
  /** The notify server for Shepherd; empty = none. */
  notifySrvAddr: z.union([z.literal(''), hostPort()]).default('127.0.0.1:51001'),
  /** Platform to run; empty = the Cloudlet's platform_type. */
  platform: z.enum(['', 'fake', 'local']).default(''),
  /** Where state survives restarts; empty = `.dev-data/crm-<org>-<name>`. */
  dataDir: z.string().default(''),
  /** DNS suffix of app URIs. */
  appDnsRoot: z.string().default('mobiledgex.net'),
  /** Version reported in CloudletInfo.container_version. */
  containerVersion: z.string().default(''),
  /** How long to wait for the Cloudlet from the Controller at start. */
  controllerTimeout: duration().default(60_000),
  /** TLS: CA to verify the Controller (notify, access API); with cert and key, a client certificate too. */
  tlsCa: z.string().default(''),
  tlsCert: z.string().default(''),
  tlsKey: z.string().default(''),
  /** TLS of the notify server for Shepherd (cert and key; with tlsCa, Shepherd must present one). */
  notifySrvTlsCert: z.string().default(''),
  notifySrvTlsKey: z.string().default(''),
  /** Running operations get this long to finish at SIGTERM before they are aborted. */
  stopGrace: duration().default(5_000),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
});

export type CrmConfig = z.infer<typeof crmConfigSchema>;

/** Reads and checks the configuration (the cloudlet key must parse and name a cloudlet). */
export function loadCrmConfig(sources: ConfigSources): CrmConfig & { key: edgeproto.CloudletKey } {
  const cfg = loadConfig(crmConfigSchema, sources);
  let key: edgeproto.CloudletKey;
  try {
    key = parseCloudletKeyJson(cfg.cloudletKey);
  } catch (err) {
    throw new EdgeError(
      Code.INVALID_ARGUMENT,
      `invalid configuration: cloudletKey: ${(err as Error).message}`,
    );
  }
  if (key.name === '' || key.organization === '') {
    throw new EdgeError(
      Code.INVALID_ARGUMENT,
      'invalid configuration: cloudletKey: organization and name are required',
    );
  }
  return { ...cfg, key };
}
