import { duration, hostPort, loadConfig, z, type ConfigSources } from '@edge/config';

/** MC options; flags use these names (`--addr=…`), env `EDGE_ADDR` etc. */
export const mcConfigSchema = z.object({
  /** REST API (the original's default). */
  addr: hostPort().default('127.0.0.1:9900'),
  /** PostgreSQL URL; empty = the embedded PGlite server in `dataDir` (dev mode). */
  sqlUrl: z.string().default(''),
  /** Where dev-mode state lives (embedded database, generated superuser password, secrets). */
  dataDir: z.string().default(''),
  /** File secret store for the token signing keys; empty = in memory (tokens die with the process). */
  secretsFile: z.string().default(''),
  secretsKeyFile: z.string().default(''),
  /** The superuser created at first start; from env `SUPERUSER`/`SUPERPASS` (names as the original). */
  superuser: z.string().default(''),
  superpass: z.string().default(''),
  /** Alertmanager base URL, e.g. `http://127.0.0.1:9093`; empty = alerts are not forwarded. */
  alertmanagerAddr: z.string().default(''),
  /** Alertmanager configuration file the MC writes receivers into (then POSTs `/-/reload`). */
  alertmanagerConfigFile: z.string().default(''),
  /** Alerts pushed to Alertmanager end this long after the last time a Controller reported them. */
  alertResolveTimeout: duration().default(3 * 60_000),
  /** SMTP relay `host:port` for verification, reset and OTP mails; empty = mails are logged only. */
  smtpAddr: z.string().default(''),
  smtpUser: z.string().default(''),
  smtpPass: z.string().default(''),
  smtpFrom: z.string().default('support@mobiledgex.com'),
  /** Base URL of the web console, for links in mails. */
  consoleUrl: z.string().default('http://127.0.0.1:9900'),
  /** `Domain` of the `token` cookie; empty = host only. */
  domain: z.string().default(''),
  /** Wait after every failed authentication (the original's 3 s); tests set 0. */
  badAuthDelay: duration().default(3_000),
  /** PEM files for mutual TLS to the regional Controllers; empty = plain text (dev and tests). */
  tlsCa: z.string().default(''),
  tlsCert: z.string().default(''),
  tlsKey: z.string().default(''),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
});

export type McConfig = z.infer<typeof mcConfigSchema>;

/** Resolves the MC's options; `SUPERUSER`/`SUPERPASS` are read from the environment as in the original. */
export function loadMcConfig(sources: ConfigSources): McConfig {
  const env = sources.env ?? {};
  const superuser = env['SUPERUSER'] ?? env['superuser'];
  const superpass = env['SUPERPASS'] ?? env['superpass'];
  return loadConfig(mcConfigSchema, {
    ...sources,
    overrides: {
      ...(superuser ? { superuser } : {}),
      ...(superpass ? { superpass } : {}),
      ...sources.overrides,
    },
  });
}
