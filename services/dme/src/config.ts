import { duration, hostPort, hostPortList, loadConfig, z, type ConfigSources } from '@edge/config';

/** DME options; flags use these names (`--apiAddr=…`), env `EDGE_API_ADDR` etc. */
export const dmeConfigSchema = z.object({
  /** gRPC MatchEngineApi. */
  apiAddr: hostPort().default('127.0.0.1:50051'),
  /** REST `/v1/...` (JSON gateway). */
  httpAddr: hostPort().default('127.0.0.1:38001'),
  /** The Controller's notify addresses, comma-separated. */
  notifyAddrs: hostPortList().default(['127.0.0.1:50001']),
  region: z.string().default('local'),
  /** This DME's name in the notify tree and the `dmeId` metric tag. */
  name: z.string().default('dme'),
  /** Cloudlet this DME runs on (metric tags); empty for a regional DME. */
  cloudletOrg: z.string().default(''),
  cloudlet: z.string().default(''),
  cookieExpiration: duration().default(24 * 3600_000),
  edgeEventsCookieExpiration: duration().default(10 * 60_000),
  /** File secret store holding the signing keys (shared by the region's DMEs); empty = in memory (dev). */
  secretsFile: z.string().default(''),
  /** Master key file of the file secret store. */
  secretsMasterKeyFile: z.string().default(''),
  /** How often the signing keys are re-read (rotation by another process). */
  keyReloadInterval: duration().default(60_000),
  /** Token server URI returned by RegisterClient. */
  toksrvurl: z.string().default(''),
  /** Operator location verification URL (e.g. `http://host:8080/verifyLocation`); empty = simulated. */
  locVerUrl: z.string().default(''),
  /** Operator QoS priority session server base URL; empty = QoS sessions cannot be created. */
  qosSesAddr: z.string().default(''),
  /** `Authorization` header value for the QoS session server. */
  qosSesApiKey: z.string().default(''),
  /** Requests per second per client IP and API, and per API overall; 0 = unlimited. */
  rateLimitPerIp: z.coerce.number().min(0).default(0),
  rateLimitPerApi: z.coerce.number().min(0).default(0),
  /** How often `dme-api` metrics and auto-provisioning counts are sent up. */
  metricsInterval: duration().default(60_000),
  autoProvInterval: duration().default(60_000),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
});

export type DmeConfig = z.infer<typeof dmeConfigSchema>;

export function loadDmeConfig(sources: ConfigSources): DmeConfig {
  return loadConfig(dmeConfigSchema, sources);
}
