import { Client } from 'pg';
import { uniqueName } from '@edge/testing';
import { Db } from '../db/db';

/** A fresh, empty database on the test PostgreSQL server (dropped by `drop`). */
export interface TestDb {
  readonly url: string;
  readonly db: Db;
  drop(): Promise<void>;
}

/** Creates a database of its own on the server at `serverUrl` (`EDGE_TEST_PG`), so test files do not share state. */
export async function createTestDb(serverUrl: string): Promise<TestDb> {
  const name = uniqueName('mc').toLowerCase();
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = new Db(url.toString());
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.close();
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
