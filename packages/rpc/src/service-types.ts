import type {
  DescMessage,
  DescMethod,
  DescService,
  MessageInitShape,
  MessageShape,
} from '@bufbuild/protobuf';
import type { HandlerContext } from './context';

/** Handler of a unary method. */
export type UnaryImpl<I extends DescMessage, O extends DescMessage> = (
  req: MessageShape<I>,
  ctx: HandlerContext,
) => Promise<MessageInitShape<O>>;

/** Handler of a server-streaming method: yields the responses. */
export type ServerStreamingImpl<I extends DescMessage, O extends DescMessage> = (
  req: MessageShape<I>,
  ctx: HandlerContext,
) => AsyncIterable<MessageInitShape<O>>;

/** Handler of a client-streaming method: consumes the requests, returns one response. */
export type ClientStreamingImpl<I extends DescMessage, O extends DescMessage> = (
  reqs: AsyncIterable<MessageShape<I>>,
  ctx: HandlerContext,
) => Promise<MessageInitShape<O>>;

/** Handler of a bidi-streaming method. */
export type BidiStreamingImpl<I extends DescMessage, O extends DescMessage> = (
  reqs: AsyncIterable<MessageShape<I>>,
  ctx: HandlerContext,
) => AsyncIterable<MessageInitShape<O>>;

/** Any handler, for code that dispatches on `method.methodKind` at run time. */
export type AnyImpl = (input: never, ctx: HandlerContext) => unknown;

/** The handler type for one method of a generated service descriptor. */
export type MethodImpl<M> = M extends { methodKind: infer K; input: infer I; output: infer O }
  ? I extends DescMessage
    ? O extends DescMessage
      ? K extends 'unary'
        ? UnaryImpl<I, O>
        : K extends 'server_streaming'
          ? ServerStreamingImpl<I, O>
          : K extends 'client_streaming'
            ? ClientStreamingImpl<I, O>
            : K extends 'bidi_streaming'
              ? BidiStreamingImpl<I, O>
              : AnyImpl
      : AnyImpl
    : AnyImpl
  : AnyImpl;

/**
 * Implementation of a service: one handler per method, keyed by the method's
 * `localName` (e.g. `say` for `rpc Say`), typed from the generated descriptor.
 */
export type ServiceImpl<S extends DescService> = {
  [K in keyof S['method']]: MethodImpl<S['method'][K]>;
};

/** Looks up the handler of `method` in an implementation; throws when missing. */
export function handlerOf(impl: object, method: DescMethod): AnyImpl {
  const fn: unknown = (impl as Record<string, unknown>)[method.localName];
  if (typeof fn !== 'function') {
    throw new TypeError(
      `no handler for ${method.parent.typeName}.${method.name} (expected "${method.localName}")`,
    );
  }
  return fn.bind(impl) as AnyImpl;
}
