import type { DescMethod } from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { newTraceId, silentLogger, type Logger, type TraceContext } from '@edge/log';
import type { PeerCertificate } from 'node:tls';
import type { HandlerContext } from './context';
import { authInterceptor, runInterceptors, type AuthHook, type ServerInterceptor } from './interceptor';
import { loggingInterceptor } from './logging-interceptor';
import { toEdgeError } from './status';

/** How calls are served; shared by `addService` and `createJsonGateway`. */
export interface ServeOptions {
  /** Logger for call lines and unexpected failures; default silent. */
  log?: Logger;
  /** Trace context the handler runs in, so every log line carries the call's trace id. */
  trace?: TraceContext;
  /** Refuses calls before the handler runs; runs after the logging interceptor. */
  auth?: AuthHook;
  /** Extra interceptors, outermost first; they run after logging and auth. */
  interceptors?: readonly ServerInterceptor[];
  /** Log one line per call (the built-in logging interceptor); default true. */
  logCalls?: boolean;
}

/** ServeOptions resolved once per service. */
export interface Pipeline {
  readonly log: Logger;
  readonly trace: TraceContext | undefined;
  readonly interceptors: readonly ServerInterceptor[];
}

/** Transport facts a context is made from. */
export interface ContextInit {
  method: DescMethod;
  protocol: HandlerContext['protocol'];
  /** The request's headers, built only if something reads them. */
  requestHeader: () => Headers;
  /** The request's trace id header, if any. */
  traceHeader: string | null;
  deadline: Date | undefined;
  peer: string;
  peerCertificate: PeerCertificate | undefined;
}

/** A context plus the controls the transport keeps for itself. */
export interface LiveCall {
  readonly ctx: HandlerContext;
  /** Aborts `ctx.signal` with an EdgeError (CANCELLED by default). */
  cancel(reason?: EdgeError): void;
  /** Releases the deadline timer; call once when the call is over. */
  finish(): void;
  /** The response has been sent: later cancellations are transport noise, not the client's. */
  settled(): void;
  /** Response headers / trailers the handler set, or undefined when it set none. */
  responseHeaderIfSet(): Headers | undefined;
  responseTrailerIfSet(): Headers | undefined;
}

/** Resolves options into the interceptor chain: logging, auth, then the caller's. */
export function pipeline(opts: ServeOptions): Pipeline {
  const interceptors: ServerInterceptor[] = [];
  if (opts.logCalls !== false) interceptors.push(loggingInterceptor());
  if (opts.auth) interceptors.push(authInterceptor(opts.auth));
  interceptors.push(...(opts.interceptors ?? []));
  return { log: opts.log ?? silentLogger(), trace: opts.trace, interceptors };
}

const TRACE_ID = /^[\w.:-]{1,128}$/;

/** Makes the handler context of a new call. */
export function startCall(p: Pipeline, init: ContextInit): LiveCall {
  const given = init.traceHeader;
  const traceId = given !== null && TRACE_ID.test(given) ? given : newTraceId();
  const rpc = `/${init.method.parent.typeName}/${init.method.name}`;
  // Built on first use: most calls never log, set headers or read them.
  let log: Logger | undefined;
  let requestHeader: Headers | undefined;
  let responseHeader: Headers | undefined;
  let responseTrailer: Headers | undefined;
  const abort = new AbortController();
  // grpc-js also reports 'cancelled' when an answered unary call's stream closes: ignore that.
  let settled = false;
  const cancel = (reason?: EdgeError): void => {
    if (settled || abort.signal.aborted) return;
    abort.abort(reason ?? new EdgeError(Code.CANCELLED, 'Call cancelled'));
  };
  let timer: NodeJS.Timeout | undefined;
  if (init.deadline !== undefined) {
    const ms = Math.max(0, init.deadline.getTime() - Date.now());
    timer = setTimeout(() => cancel(new EdgeError(Code.DEADLINE_EXCEEDED, 'Deadline exceeded')), ms);
    timer.unref();
  }
  const ctx: HandlerContext = {
    method: init.method,
    protocol: init.protocol,
    get requestHeader() {
      return (requestHeader ??= init.requestHeader());
    },
    get responseHeader() {
      return (responseHeader ??= new Headers());
    },
    get responseTrailer() {
      return (responseTrailer ??= new Headers());
    },
    deadline: init.deadline,
    signal: abort.signal,
    peer: init.peer,
    peerCertificate: init.peerCertificate,
    traceId,
    // With a TraceContext the logger's mixin adds traceId; binding it too would repeat the key.
    get log() {
      return (log ??= p.log.child(p.trace ? { rpc } : { rpc, traceId }));
    },
  };
  return {
    ctx,
    cancel,
    finish: () => clearTimeout(timer),
    settled: () => {
      settled = true;
    },
    responseHeaderIfSet: () => responseHeader,
    responseTrailerIfSet: () => responseTrailer,
  };
}

/**
 * Runs the interceptors and `inner` (which calls the handler and sends its output) in the
 * call's trace context. Resolves with the EdgeError the call ends with, or undefined on
 * success; this is where server-side failures are converted, once.
 */
export async function runCall(
  p: Pipeline,
  ctx: HandlerContext,
  inner: () => Promise<void>,
): Promise<EdgeError | undefined> {
  const guarded = async (): Promise<void> => {
    try {
      await inner();
      // A handler that ignored cancellation still ends as cancelled, so logs tell the truth.
      ctx.signal.throwIfAborted();
    } catch (err) {
      throw toEdgeError(err, ctx.log);
    }
  };
  const run = (): Promise<void> => runInterceptors(ctx, p.interceptors, guarded);
  try {
    await (p.trace ? p.trace.run(ctx.traceId, run) : run());
    return undefined;
  } catch (err) {
    return toEdgeError(err, ctx.log);
  }
}
