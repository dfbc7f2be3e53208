import { duration, flag, hostPort, loadConfig, z, type ConfigSources } from '@edge/config';

/** Controller options; flags use these names (`--apiAddr=…`), env `EDGE_API_ADDR` etc. */
export const controllerConfigSchema = z.object({
  /** Region this Controller serves; also the etcd key prefix. */
  region: z.string().regex(/^\w+$/, 'expected letters, digits and _').default('local'),
  /** gRPC API (MC and tools). */
  apiAddr: hostPort().default('127.0.0.1:55001'),
  /** Address other Controllers and tools reach the API at (key of this Controller's registration); empty = apiAddr. */
  externalApiAddr: z.string().default(''),
  /** Cloudlet access API (CRMs, access-key auth). */
  accessApiAddr: hostPort().default('127.0.0.1:41001'),
  /** Notify tree (CRMs, DMEs, … connect here; same TLS as the API). */
  notifyAddr: hostPort().default('127.0.0.1:50001'),
  /** Changes kept for resuming notify children; a child further behind gets a full resync. */
  notifyChangeLog: z.coerce.number().int().min(100).default(50_000),
  /** How often the notify server's figures (children, lag, convergence, bytes) go to InfluxDB `notify-server`. */
  notifyMetricsInterval: duration().default(10_000),
  /** Refuse notify streams without a valid cloudlet access-key signature (otherwise optional). */
  requireNotifyAccessKey: flag().default(false),
  /** Comma-separated etcd client URLs; empty = in-memory store (dev mode). */
  etcdUrls: z.string().default(''),
  /** InfluxDB 1.x URL (e.g. http://127.0.0.1:8086) for lifecycle events and metrics; empty = disabled. */
  influxAddr: z.string().default(''),
  /** Start a CRM and a Shepherd on this host for each cloudlet whose platform runs here (fake, local). */
  localCloudlets: flag().default(false),
  /** Files of those local cloudlet services (keys, logs, CRM state) go under `<dataDir>/cloudlets/`. */
  dataDir: z.string().default('.dev-data'),
  /** Dev mode: snapshot file of the in-memory store. */
  memStoreFile: z.string().default(''),
  /** Encrypted secrets file and its master key file (created on first use). */
  secretsFile: z.string().default('.dev-data/controller-secrets.enc'),
  secretsKeyFile: z.string().default('.dev-data/controller-secrets.key'),
  /** TLS for the API: server cert and key; with a CA, clients must present certs (mTLS). */
  tlsCert: z.string().default(''),
  tlsKey: z.string().default(''),
  tlsCa: z.string().default(''),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  /** Tests: refuse bad access keys without the 3 s delay. */
  fastAuthFailures: flag().default(false),
});

export type ControllerConfig = z.infer<typeof controllerConfigSchema>;

export function loadControllerConfig(sources: ConfigSources): ControllerConfig {
  return loadConfig(controllerConfigSchema, sources);
}
