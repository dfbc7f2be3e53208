import type { DescService } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { bidiCall, clientStreamCall, serverStreamCall, unaryCall, type CallSite } from './client-calls';
import type { CallOptions, Client } from './client-types';
import { grpcMethodDefinition } from './grpc-definition';

/** How a client connects. */
export interface ClientOptions {
  /** Channel credentials; default insecure (tests and dev only). */
  credentials?: grpc.ChannelCredentials;
  /** Deadline in milliseconds for calls that do not set one; default none. */
  defaultDeadlineMs?: number;
  /**
   * grpc-js interceptors run on every call, first outermost, e.g.
   * `[traceInterceptor(trace), metadataInterceptor({authorization: …})]`.
   */
  interceptors?: grpc.Interceptor[];
  /** Extra grpc-js channel options (keepalive, message sizes, …). */
  channelOptions?: grpc.ChannelOptions;
}

const CLIENT = Symbol('edge.rpc.client');

/**
 * A typed client of `service` at `address` (`host:port`). Unary and client-streaming
 * methods return promises; server-streaming and bidi methods return async iterables.
 * Failures reject / throw as EdgeError with the server's code and exact message.
 *
 * @example
 *   const echo = createClient(Echo, 'localhost:55001', { defaultDeadlineMs: 5000 });
 *   const res = await echo.say({ message: 'hi' });
 *   for await (const r of echo.expand({ message: 'hi', repeatCount: 3 })) …
 *   echo.close();
 */
export function createClient<S extends DescService>(
  service: S,
  address: string,
  options: ClientOptions = {},
): Client<S> {
  const client = new grpc.Client(address, options.credentials ?? grpc.credentials.createInsecure(), {
    ...options.channelOptions,
    ...(options.interceptors ? { interceptors: options.interceptors } : {}),
  });
  const out: Record<string | symbol, unknown> = {
    close: () => client.close(),
    [CLIENT]: true,
  };
  for (const method of service.methods) {
    const site: CallSite = {
      client,
      def: grpcMethodDefinition(method),
      defaultDeadlineMs: options.defaultDeadlineMs,
    };
    switch (method.methodKind) {
      case 'unary':
        out[method.localName] = (req: unknown, o?: CallOptions) => unaryCall(site, req, o);
        break;
      case 'server_streaming':
        out[method.localName] = (req: unknown, o?: CallOptions) => serverStreamCall(site, req, o);
        break;
      case 'client_streaming':
        out[method.localName] = (reqs: AsyncIterable<unknown>, o?: CallOptions) =>
          clientStreamCall(site, reqs, o);
        break;
      case 'bidi_streaming':
        out[method.localName] = (reqs: AsyncIterable<unknown>, o?: CallOptions) => bidiCall(site, reqs, o);
        break;
    }
  }
  return out as Client<S>;
}

/** True for objects made by `createClient`. */
export function isClient(x: unknown): x is Client<DescService> {
  return typeof x === 'object' && x !== null && CLIENT in x;
}
