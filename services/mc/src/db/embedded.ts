import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A PostgreSQL server embedded in this process (dev mode): PGlite served over the wire protocol. */
export interface EmbeddedPostgres {
  /** Connection URL for `pg`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts PGlite on `dir` (created if missing; data survives restarts) behind a loopback
 * socket, so the MC talks to it through `pg` exactly as to a real server. PGlite is a single
 * backend that serialises connections, so use a pool of one connection against it
 * (see ../shared/reference/deps.md); it needs several hundred MB of memory.
 */
export async function startEmbeddedPostgres(dir: string, port = 0): Promise<EmbeddedPostgres> {
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 10 });
  await server.start();
  const bound = (server as unknown as { port: number }).port;
  return {
    url: `postgres://postgres@127.0.0.1:${bound}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
