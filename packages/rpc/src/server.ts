import type { DescMethod, DescService } from '@bufbuild/protobuf';
import type * as grpc from '@grpc/grpc-js';
import type { EdgeError } from '@edge/errors';
import { TRACE_HEADER } from '@edge/log';
import type { HandlerContext } from './context';
import { grpcServiceDefinition } from './grpc-definition';
import { headersFromMetadata, metadataFromHeaders } from './metadata';
import { pipeline, runCall, startCall, type LiveCall, type Pipeline, type ServeOptions } from './pipeline';
import { handlerOf, type AnyImpl, type ServiceImpl } from './service-types';
import { grpcStatus } from './status';
import { readMessages, writeMessages } from './streams';

type AnyCall = grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown>;
type Writer = grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>;

/**
 * Serves a protobuf-es service on a grpc-js server. Each handler receives the request
 * (or an async iterable of requests) and a HandlerContext; what it throws leaves as a
 * gRPC status with the EdgeError's code and exact message (anything else as INTERNAL).
 *
 * @example
 *   addService(server, Echo, { say: async (req) => ({ message: req.message }), … }, { log, trace });
 */
export function addService<S extends DescService>(
  server: grpc.Server,
  service: S,
  impl: ServiceImpl<S>,
  options: ServeOptions = {},
): void {
  const p = pipeline(options);
  const handlers: grpc.UntypedServiceImplementation = {};
  for (const method of service.methods) {
    handlers[method.localName] = grpcHandler(p, method, handlerOf(impl, method));
  }
  server.addService(grpcServiceDefinition(service), handlers);
}

function grpcHandler(p: Pipeline, method: DescMethod, fn: AnyImpl): grpc.UntypedHandleCall {
  const call = fn as (input: unknown, ctx: HandlerContext) => unknown;
  switch (method.methodKind) {
    case 'unary':
      return (c: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) =>
        void respond(p, method, c, cb, (ctx) => call(c.request, ctx) as Promise<unknown>);
    case 'client_streaming':
      return (c: grpc.ServerReadableStream<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) =>
        void respond(p, method, c, cb, (ctx) => call(readMessages(c), ctx) as Promise<unknown>);
    case 'server_streaming':
      return (c: grpc.ServerWritableStream<unknown, unknown>) =>
        void stream(p, method, c, (ctx) => call(c.request, ctx) as AsyncIterable<unknown>);
    case 'bidi_streaming':
      return (c: grpc.ServerDuplexStream<unknown, unknown>) =>
        void stream(p, method, c, (ctx) => call(readMessages(c), ctx) as AsyncIterable<unknown>);
  }
}

/** The first value of a metadata entry as text (grpc-js keeps strings for non-binary keys). */
function firstText(values: grpc.MetadataValue[]): string | null {
  const v = values[0];
  return typeof v === 'string' ? v : null;
}

/** Sets up the context of a grpc-js call and ties its cancellation to `ctx.signal`. */
function begin(p: Pipeline, method: DescMethod, c: AnyCall | Writer): LiveCall {
  const d = c.getDeadline();
  const deadline = d instanceof Date ? d : Number.isFinite(d) ? new Date(d) : undefined;
  const cert = c.getAuthContext().sslPeerCertificate;
  const live = startCall(p, {
    method,
    protocol: 'grpc',
    requestHeader: () => headersFromMetadata(c.metadata),
    traceHeader: firstText(c.metadata.get(TRACE_HEADER)),
    deadline,
    peer: c.getPeer(),
    peerCertificate: cert !== undefined && Object.keys(cert).length > 0 ? cert : undefined,
  });
  (c as NodeJS.EventEmitter).on('cancelled', () => live.cancel());
  if ('read' in c) {
    // A handler blocked reading requests must wake up, with the reason, when the call dies;
    // the no-op listener keeps that error from crashing the process when nobody is reading.
    live.ctx.signal.addEventListener('abort', () => {
      c.on('error', () => {});
      c.destroy(live.ctx.signal.reason as Error);
    });
  }
  return live;
}

async function respond(
  p: Pipeline,
  method: DescMethod,
  c: AnyCall,
  cb: grpc.sendUnaryData<unknown>,
  run: (ctx: HandlerContext) => Promise<unknown>,
): Promise<void> {
  const live = begin(p, method, c);
  const { ctx, finish } = live;
  let response: unknown;
  const err = await runCall(p, ctx, async () => {
    response = await run(ctx);
  });
  finish();
  if (ctx.signal.aborted) return; // grpc-js has already ended the call (cancel or deadline)
  c.sendMetadata(metadataFromHeaders(live.responseHeaderIfSet()));
  const trailer = metadataFromHeaders(live.responseTrailerIfSet());
  live.settled();
  if (err) cb(grpcStatus(err, trailer));
  else cb(null, response, trailer);
}

async function stream(
  p: Pipeline,
  method: DescMethod,
  c: Writer,
  run: (ctx: HandlerContext) => AsyncIterable<unknown>,
): Promise<void> {
  const live = begin(p, method, c);
  const { ctx, finish } = live;
  let headerSent = false;
  const sendHeader = (): void => {
    if (!headerSent) c.sendMetadata(metadataFromHeaders(live.responseHeaderIfSet()));
    headerSent = true;
  };
  const err: EdgeError | undefined = await runCall(p, ctx, () =>
    writeMessages(c, run(ctx), ctx.signal, (m) => {
      sendHeader();
      return m;
    }),
  );
  finish();
  if (ctx.signal.aborted) return; // grpc-js has already ended the call
  sendHeader();
  const trailer = metadataFromHeaders(live.responseTrailerIfSet());
  if (err) c.emit('error', grpcStatus(err, trailer));
  else c.end(trailer);
}
