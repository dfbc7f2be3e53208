// Test fixture: runs a gateway handler on a real HTTP server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpHandler } from './gateway';

/** A listening HTTP server for tests. */
export interface HttpTestServer {
  url: string;
  close(): Promise<void>;
}

/** An HTTP server around a handler, on a free port. */
export async function serveHttp(handler: HttpHandler): Promise<HttpTestServer> {
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
