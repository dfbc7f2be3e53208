import type * as grpc from '@grpc/grpc-js';
import { EdgeError } from '@edge/errors';
import type { CallOptions } from './client-types';
import { headersFromMetadata, metadataFromHeaders } from './metadata';
import { readMessages, writeMessages } from './streams';

/** What every call of a client shares. */
export interface CallSite {
  readonly client: grpc.Client;
  readonly def: grpc.MethodDefinition<unknown, unknown>;
  readonly defaultDeadlineMs: number | undefined;
}

type Surface = grpc.ClientUnaryCall | grpc.ClientReadableStream<unknown> | grpc.ClientWritableStream<unknown>;

function prepare(site: CallSite, opts: CallOptions | undefined) {
  const def = site.def;
  const ms = opts?.deadline ?? site.defaultDeadlineMs;
  const callOptions: grpc.CallOptions = {};
  if (ms !== undefined) callOptions.deadline = ms instanceof Date ? ms : new Date(Date.now() + ms);
  return { def, metadata: metadataFromHeaders(opts?.metadata), callOptions };
}

/** Wires header/trailer callbacks and the abort signal; returns the cleanup. */
function observe(call: Surface, opts: CallOptions | undefined): () => void {
  const { onHeader, onTrailer, signal } = opts ?? {};
  if (onHeader) call.on('metadata', (md: grpc.Metadata) => onHeader(headersFromMetadata(md)));
  if (onTrailer) call.on('status', (s: grpc.StatusObject) => onTrailer(headersFromMetadata(s.metadata)));
  if (!signal) return () => {};
  const cancel = (): void => call.cancel();
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}

/** Settles a promise from a grpc-js unary-style callback, converting errors once. */
function settle<T>(resolve: (v: T) => void, reject: (e: unknown) => void, done: () => void) {
  return (err: grpc.ServiceError | null, value?: unknown): void => {
    done();
    if (err) reject(EdgeError.from(err));
    else resolve(value as T);
  };
}

/** A unary call. */
export function unaryCall<T>(site: CallSite, req: unknown, opts?: CallOptions): Promise<T> {
  const { def, metadata, callOptions } = prepare(site, opts);
  return new Promise<T>((resolve, reject) => {
    let cleanup = (): void => {};
    const cb = settle<T>(resolve, reject, () => cleanup());
    const call = site.client.makeUnaryRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      req,
      metadata,
      callOptions,
      cb,
    );
    cleanup = observe(call, opts);
  });
}

/** A client-streaming call: sends `reqs` with backpressure, resolves with the response. */
export function clientStreamCall<T>(
  site: CallSite,
  reqs: AsyncIterable<unknown>,
  opts?: CallOptions,
): Promise<T> {
  const { def, metadata, callOptions } = prepare(site, opts);
  return new Promise<T>((resolve, reject) => {
    const stop = new AbortController();
    let cleanup = (): void => {};
    let pumpError: { err: unknown } | undefined;
    const cb = settle<T>(
      resolve,
      (e) => reject(pumpError ? pumpError.err : e),
      () => {
        stop.abort();
        cleanup();
      },
    );
    const call = site.client.makeClientStreamRequest(
      def.path,
      def.requestSerialize,
      def.responseDeserialize,
      metadata,
      callOptions,
      cb,
    );
    cleanup = observe(call, opts);
    writeMessages(call, reqs, stop.signal, (m) => m).then(
      () => call.end(),
      (err: unknown) => {
        if (stop.signal.aborted) return;
        pumpError = { err };
        call.cancel();
      },
    );
  });
}

/** A server-streaming call, started when iteration starts. */
export async function* serverStreamCall<T>(
  site: CallSite,
  req: unknown,
  opts?: CallOptions,
): AsyncGenerator<T> {
  const { def, metadata, callOptions } = prepare(site, opts);
  const call = site.client.makeServerStreamRequest(
    def.path,
    def.requestSerialize,
    def.responseDeserialize,
    req,
    metadata,
    callOptions,
  );
  yield* readResponses<T>(call, observe(call, opts), undefined);
}

/** A bidi call, started when iteration starts; requests are sent in the background. */
export async function* bidiCall<T>(
  site: CallSite,
  reqs: AsyncIterable<unknown>,
  opts?: CallOptions,
): AsyncGenerator<T> {
  const { def, metadata, callOptions } = prepare(site, opts);
  const call = site.client.makeBidiStreamRequest(
    def.path,
    def.requestSerialize,
    def.responseDeserialize,
    metadata,
    callOptions,
  );
  const stop = new AbortController();
  const pump: { err?: { err: unknown } } = {};
  writeMessages(call, reqs, stop.signal, (m) => m).then(
    () => call.end(),
    (err: unknown) => {
      if (stop.signal.aborted) return;
      pump.err = { err };
      call.cancel();
    },
  );
  const cleanup = observe(call, opts);
  yield* readResponses<T>(
    call,
    () => {
      stop.abort();
      cleanup();
    },
    pump,
  );
}

/**
 * Yields the responses of a streaming call, converting its error once. When the consumer
 * stops early the call is cancelled, so the server sees CANCELLED and stops too.
 */
async function* readResponses<T>(
  call: grpc.ClientReadableStream<unknown>,
  cleanup: () => void,
  pump: { err?: { err: unknown } } | undefined,
): AsyncGenerator<T> {
  let ended = false;
  call.on('status', () => (ended = true));
  try {
    for await (const m of readMessages<T>(call)) yield m;
  } catch (err) {
    throw pump?.err ? pump.err.err : EdgeError.from(err);
  } finally {
    cleanup();
    if (!ended) {
      call.on('error', () => {}); // the CANCELLED status we cause here is expected
      call.cancel();
    }
  }
}
