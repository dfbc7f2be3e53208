import type { DescMessage, DescService, MessageInitShape, MessageShape } from '@bufbuild/protobuf';

/** Options of one call. */
export interface CallOptions {
  /** Milliseconds from now, or an absolute time; overrides the client's default deadline. */
  deadline?: number | Date;
  /** Request metadata; values of `-bin` keys are base64. */
  metadata?: Headers | Record<string, string>;
  /** Cancels the call when aborted; the call then fails with CANCELLED. */
  signal?: AbortSignal;
  /** Receives the response headers when they arrive. */
  onHeader?: (header: Headers) => void;
  /** Receives the response trailers when the call ends (on success and on failure). */
  onTrailer?: (trailer: Headers) => void;
}

/** Client side of a unary method. */
export type UnaryFn<I extends DescMessage, O extends DescMessage> = (
  req: MessageInitShape<I>,
  options?: CallOptions,
) => Promise<MessageShape<O>>;

/** Client side of a server-streaming method; the call starts when iteration starts. */
export type ServerStreamingFn<I extends DescMessage, O extends DescMessage> = (
  req: MessageInitShape<I>,
  options?: CallOptions,
) => AsyncIterable<MessageShape<O>>;

/** Client side of a client-streaming method. */
export type ClientStreamingFn<I extends DescMessage, O extends DescMessage> = (
  reqs: AsyncIterable<MessageInitShape<I>>,
  options?: CallOptions,
) => Promise<MessageShape<O>>;

/**
 * Client side of a bidi method; the call starts when iteration starts and is cancelled
 * when the consumer stops iterating early.
 */
export type BidiStreamingFn<I extends DescMessage, O extends DescMessage> = (
  reqs: AsyncIterable<MessageInitShape<I>>,
  options?: CallOptions,
) => AsyncIterable<MessageShape<O>>;

/** The client function type for one method of a generated service descriptor. */
export type ClientMethod<M> = M extends { methodKind: infer K; input: infer I; output: infer O }
  ? I extends DescMessage
    ? O extends DescMessage
      ? K extends 'unary'
        ? UnaryFn<I, O>
        : K extends 'server_streaming'
          ? ServerStreamingFn<I, O>
          : K extends 'client_streaming'
            ? ClientStreamingFn<I, O>
            : K extends 'bidi_streaming'
              ? BidiStreamingFn<I, O>
              : never
      : never
    : never
  : never;

/** A typed client of a service: one function per method (by `localName`), plus `close()`. */
export type Client<S extends DescService> = {
  [K in keyof S['method']]: ClientMethod<S['method'][K]>;
} & {
  /** Closes the channel; calls in flight fail. */
  close(): void;
};
