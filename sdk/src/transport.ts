import type { MessageShape } from '@bufbuild/protobuf';
import type { dme } from './proto';

/** The device API service descriptor. */
export type MatchEngineApi = typeof dme.MatchEngineApi;
type Methods = MatchEngineApi['method'];

/** Local names of the unary device API methods, e.g. `registerClient`, `findCloudlet`. */
export type UnaryMethod = {
  [K in keyof Methods]: Methods[K]['methodKind'] extends 'unary' ? K : never;
}[keyof Methods];

/** Request message of a unary method. */
export type RequestOf<K extends UnaryMethod> = MessageShape<Methods[K]['input']>;
/** Reply message of a unary method. */
export type ReplyOf<K extends UnaryMethod> = MessageShape<Methods[K]['output']>;

/** Per-call options every transport honours. */
export interface TransportCallOptions {
  /** Cancels the call; it then fails with CANCELLED. */
  signal?: AbortSignal;
  /** Milliseconds for this call; overrides the transport's default. */
  timeoutMs?: number;
}

/**
 * How the SDK reaches a DME. Implementations convert every failure into a `DmeError`.
 * `createRestTransport` works everywhere `fetch` does; `createGrpcTransport` (from
 * `@edge/sdk/src/node`) needs Node and is the one that can stream edge events.
 */
export interface Transport {
  /** A human-readable name for logs, e.g. `rest http://…` or `grpc host:port`. */
  readonly name: string;
  /** Calls a unary method. */
  unary<K extends UnaryMethod>(
    method: K,
    request: RequestOf<K>,
    options?: TransportCallOptions,
  ): Promise<ReplyOf<K>>;
  /**
   * Opens `StreamEdgeEvent`: sends `requests`, yields the server's events until the stream
   * ends (return) or fails (throws a DmeError). Absent when the transport cannot do bidi.
   */
  streamEdgeEvents?(
    requests: AsyncIterable<dme.ClientEdgeEvent>,
    options?: TransportCallOptions,
  ): AsyncIterable<dme.ServerEdgeEvent>;
  /** Releases connections; calls in flight fail. */
  close(): void;
}
