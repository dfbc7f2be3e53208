import type { Logger } from '@edge/log';
import type { Db } from './db';
import { MIGRATIONS, type Migration } from './migrations';

/** Advisory lock id held while migrating, so MC replicas starting together migrate once. */
const MIGRATION_LOCK = 0x6d63_0001;

/**
 * Brings the schema up to date: applies, in order and each in its own transaction, the
 * migrations not yet recorded in `schema_migrations`.
 * @returns ids of the migrations applied now.
 */
export async function migrate(
  db: Db,
  log: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await q.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await q.query<{ id: number }>('SELECT id FROM schema_migrations')).map((r) => r.id),
    );
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(m.id)) continue;
      await q.query(m.sql);
      await q.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
      applied.push(m.id);
      log.info({ migration: m.id, name: m.name }, 'schema migration applied');
    }
    return applied;
  });
}
