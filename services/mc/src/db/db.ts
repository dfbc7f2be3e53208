import { Pool, type PoolClient, type QueryResultRow } from 'pg';

/** Something that runs SQL: the pool, or the one connection of a transaction. */
export interface Queryable {
  /** Rows of `text` run with `$1…` parameters. */
  query<T extends QueryResultRow = QueryResultRow>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * The MC's PostgreSQL access: a `pg` pool, plain SQL, and transactions that hand their
 * one connection to the callback. Code inside `tx` must use that connection only: the
 * embedded server (PGlite) serialises connections, so a second pooled query there waits
 * for the transaction and deadlocks.
 */
export class Db implements Queryable {
  private readonly pool: Pool;

  constructor(url: string, options: { max?: number } = {}) {
    this.pool = new Pool({ connectionString: url, max: options.max ?? 10 });
    // An idle client losing its server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<T extends QueryResultRow = QueryResultRow>(
    text: string,
    params: readonly unknown[] = [],
  ): Promise<T[]> {
    const r = await this.pool.query<T>(text, params as unknown[]);
    return r.rows;
  }

  /** The first row, or undefined. */
  async one<T extends QueryResultRow = QueryResultRow>(
    text: string,
    params: readonly unknown[] = [],
  ): Promise<T | undefined> {
    return (await this.query<T>(text, params))[0];
  }

  /** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    const q: Queryable = {
      query: async <R extends QueryResultRow>(text: string, params: readonly unknown[] = []) =>
        (await client.query<R>(text, params as unknown[])).rows,
    };
    try {
      await client.query('BEGIN');
      const out = await fn(q);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
