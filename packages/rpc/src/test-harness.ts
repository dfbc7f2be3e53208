// Test fixture: starts the Echo service on a free port and connects a client to it.
import type * as grpc from '@grpc/grpc-js';
import { testing } from '@edge/proto';

const { Echo } = testing;
import { createClient, type ClientOptions } from './client';
import type { Client } from './client-types';
import { insecureServer } from './credentials';
import { createServer, listen } from './listen';
import type { ServeOptions } from './pipeline';
import { addService } from './server';
import { echoImpl, type Seen } from './test-echo';

/** A running Echo server plus a client of it. */
export interface EchoHarness {
  client: Client<typeof Echo>;
  seen: Seen;
  port: number;
  close(): Promise<void>;
}

/** Starts Echo with `serve` options; the client uses `clientOptions`. */
export async function startEcho(
  serve: ServeOptions = {},
  clientOptions: ClientOptions = {},
  credentials: grpc.ServerCredentials = insecureServer(),
  host = 'localhost',
): Promise<EchoHarness> {
  const seen: Seen = { ctx: [], closed: [] };
  const server = createServer();
  addService(server, Echo, echoImpl(seen), serve);
  const listening = await listen(server, '127.0.0.1:0', credentials);
  const client = createClient(Echo, `${host}:${listening.port}`, clientOptions);
  return {
    client,
    seen,
    port: listening.port,
    close: async () => {
      client.close();
      await listening.close(1000);
    },
  };
}

/** Collects an async iterable into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The EdgeError `p` rejects with; fails the test when it resolves or rejects otherwise. */
export { rejection as failure } from '@edge/testing';

/** Polls `cond` until it holds (bounded): for effects that land after a call returns. */
export async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
