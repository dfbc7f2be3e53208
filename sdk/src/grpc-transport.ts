import type * as grpc from '@grpc/grpc-js';
import { createClient, type CallOptions } from '@edge/rpc';
import { DmeError } from './dme-error';
import { dme } from './proto';
import type { ReplyOf, RequestOf, Transport, TransportCallOptions, UnaryMethod } from './transport';

/** Options of `createGrpcTransport`. */
export interface GrpcTransportOptions {
  /** Channel credentials; default insecure. */
  credentials?: grpc.ChannelCredentials;
  /** Default deadline per unary call in milliseconds; default 15000. */
  timeoutMs?: number;
  /** Extra grpc-js channel options. */
  channelOptions?: grpc.ChannelOptions;
}

type AnyUnary = (req: unknown, options?: CallOptions) => Promise<unknown>;
type AnyBidi = (reqs: AsyncIterable<unknown>, options?: CallOptions) => AsyncIterable<unknown>;

/**
 * A Node-only transport over gRPC (`distributed_match_engine.MatchEngineApi` at `address`,
 * `host:port`, the DME's `-apiAddr`). It also streams edge events.
 *
 * @example
 *   const transport = createGrpcTransport('127.0.0.1:50051');
 */
export function createGrpcTransport(address: string, options: GrpcTransportOptions = {}): Transport {
  const client = createClient(dme.MatchEngineApi, address, {
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.channelOptions ? { channelOptions: options.channelOptions } : {}),
  });
  const defaultTimeout = options.timeoutMs ?? 15000;
  const methods = client as unknown as Record<string, AnyUnary | AnyBidi>;
  return {
    name: `grpc ${address}`,
    async unary<K extends UnaryMethod>(
      name: K,
      request: RequestOf<K>,
      call?: TransportCallOptions,
    ): Promise<ReplyOf<K>> {
      const fn = methods[name] as AnyUnary;
      try {
        return (await fn(request, callOptions(call, defaultTimeout))) as ReplyOf<K>;
      } catch (err) {
        throw DmeError.from(err);
      }
    },
    async *streamEdgeEvents(requests, call) {
      const fn = methods['streamEdgeEvent'] as AnyBidi;
      const opts: CallOptions = call?.signal ? { signal: call.signal } : {};
      try {
        for await (const m of fn(requests, opts)) yield m as dme.ServerEdgeEvent;
      } catch (err) {
        throw DmeError.from(err);
      }
    },
    close: () => client.close(),
  };
}

function callOptions(call: TransportCallOptions | undefined, defaultTimeout: number): CallOptions {
  const out: CallOptions = { deadline: call?.timeoutMs ?? defaultTimeout };
  if (call?.signal) out.signal = call.signal;
  return out;
}
