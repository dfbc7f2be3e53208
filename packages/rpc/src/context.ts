import type { DescMethod } from '@bufbuild/protobuf';
import type { Logger } from '@edge/log';
import type { PeerCertificate } from 'node:tls';

/**
 * What a handler knows about the call it serves. The same shape is given by the gRPC
 * server and by the JSON gateway, so one handler serves both.
 */
export interface HandlerContext {
  /** The method being called. */
  readonly method: DescMethod;
  /** `grpc` when called over gRPC, `http` when called through the JSON gateway. */
  readonly protocol: 'grpc' | 'http';
  /** Request metadata (gRPC) or HTTP headers, lower-case names. Binary (`-bin`) values are base64. */
  readonly requestHeader: Headers;
  /** Headers sent before the first response message; set them before returning or yielding. */
  readonly responseHeader: Headers;
  /** Trailers sent with the final status (gRPC); merged into the headers by the gateway for unary calls. */
  readonly responseTrailer: Headers;
  /** When the caller stops waiting, if it set a deadline. */
  readonly deadline: Date | undefined;
  /** Aborted when the caller cancels, disconnects or the deadline passes. */
  readonly signal: AbortSignal;
  /** Peer address as the transport reports it, e.g. `ipv4:127.0.0.1:51234`. */
  readonly peer: string;
  /** The verified client certificate under mutual TLS; undefined otherwise. */
  readonly peerCertificate: PeerCertificate | undefined;
  /** Trace id of this call: from the `x-trace-id` metadata / header, or newly made. */
  readonly traceId: string;
  /** Logger for this call, bound to the method (and the trace id). */
  readonly log: Logger;
}

/** Milliseconds left before `ctx.deadline`, or undefined when there is none. */
export function timeRemaining(
  ctx: Pick<HandlerContext, 'deadline'>,
  now: number = Date.now(),
): number | undefined {
  return ctx.deadline === undefined ? undefined : Math.max(0, ctx.deadline.getTime() - now);
}

/** Common name of the verified client certificate (mutual TLS), if any: the caller's identity. */
export function peerCommonName(ctx: Pick<HandlerContext, 'peerCertificate'>): string | undefined {
  const cn: string | string[] | undefined = ctx.peerCertificate?.subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}
