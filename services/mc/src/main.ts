import { join } from 'node:path';
import { createLogger, TraceContext } from '@edge/log';
import { ObjectRegistry, allFiles } from '@edge/proto';
import { FileSecretStore, MemorySecretStore, type SecretStore } from '@edge/secrets';
import { loadMcConfig } from './config';
import { Db } from './db/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded';
import { createMc } from './mc';

/** Reads configuration, wires the MC and serves it until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const cfg = loadMcConfig({ env: process.env, argv: process.argv.slice(2) });
  const trace = new TraceContext();
  const log = createLogger({ name: 'mc', level: cfg.logLevel, trace });

  let embedded: EmbeddedPostgres | undefined;
  let sqlUrl = cfg.sqlUrl;
  if (!sqlUrl) {
    if (!cfg.dataDir)
      throw new Error('invalid configuration: sqlUrl: required unless dataDir is set (embedded database)');
    embedded = await startEmbeddedPostgres(join(cfg.dataDir, 'mc-db'));
    sqlUrl = embedded.url;
    log.info({ dir: join(cfg.dataDir, 'mc-db') }, 'embedded PostgreSQL (PGlite) started');
  }
  const db = new Db(sqlUrl, embedded ? { max: 1 } : {});
  const secrets: SecretStore = cfg.secretsFile
    ? await FileSecretStore.open({ file: cfg.secretsFile, masterKeyFile: cfg.secretsKeyFile, log })
    : new MemorySecretStore();
  const mc = await createMc({ config: cfg, db, log, trace, reg: new ObjectRegistry(allFiles), secrets });
  const port = await mc.listen(cfg.addr);
  log.info({ addr: cfg.addr, port, database: embedded ? 'embedded' : 'postgresql' }, 'mc up');

  const stop = async (): Promise<void> => {
    log.info('mc stopping');
    await mc.close();
    await db.close();
    await embedded?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
