import * as grpc from '@grpc/grpc-js';

/** A bound, serving grpc-js server. */
export interface Listening {
  readonly server: grpc.Server;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /**
   * Stops accepting calls and waits up to `graceMs` (default 5000) for calls in flight,
   * then cancels the rest.
   */
  close(graceMs?: number): Promise<void>;
}

/** A new grpc-js server; add services with `addService`, then `listen`. */
export function createServer(options?: grpc.ServerOptions): grpc.Server {
  return new grpc.Server(options);
}

/**
 * Binds `server` to `address` (`host:port`, port 0 picks a free one) and resolves when it
 * serves. Add services before calling it.
 */
export function listen(
  server: grpc.Server,
  address: string,
  credentials: grpc.ServerCredentials,
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (err, port) => {
      if (err) return reject(err);
      resolve({ server, port, close: (graceMs) => shutdown(server, graceMs ?? 5000) });
    });
  });
}

function shutdown(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.forceShutdown(), graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
