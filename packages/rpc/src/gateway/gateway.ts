import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  create,
  fromJson,
  toJson,
  type DescMethod,
  type DescService,
  type JsonValue,
  type Registry,
} from '@bufbuild/protobuf';
import { Code, EdgeError } from '@edge/errors';
import { TRACE_HEADER } from '@edge/log';
import { isClient } from '../client';
import type { Client } from '../client-types';
import type { HandlerContext } from '../context';
import { pipeline, runCall, startCall, type Pipeline, type ServeOptions } from '../pipeline';
import { handlerOf, type AnyImpl, type ServiceImpl } from '../service-types';
import { writeMessages } from '../streams';
import { implFromClient } from './client-backend';
import { gatewayPath, type PathSource } from './http-path';
import {
  errorBody,
  readJsonBody,
  requestHeaders,
  requestPeerCertificate,
  sendError,
  sendJson,
} from './http-io';

/** Options of `createJsonGateway`: how calls are served, plus HTTP specifics. */
export interface GatewayOptions extends ServeOptions, PathSource {
  /** Rewrites request JSON before it is decoded, e.g. to accept enum short names. */
  transformInput?: (json: JsonValue, method: DescMethod) => JsonValue;
  /** Registry for `google.protobuf.Any` and extensions in JSON. */
  registry?: Registry;
  /** Largest accepted body; default 4 MiB. */
  maxBodyBytes?: number;
  /** With a client backend: request headers forwarded as metadata; default `['authorization']`. */
  forwardHeaders?: readonly string[];
}

/** A Node HTTP handler; `next` (express) is called for paths that are not ours. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

interface Route {
  method: DescMethod;
  fn: AnyImpl;
}

/**
 * Serves the unary and server-streaming methods of `service` as `POST <path>` with
 * protobuf JSON in and out (proto field names, defaults emitted). Streaming responses are
 * JSON lines `{"result": …}`, ending with `{"error": {code, message}}` on failure. Errors
 * before any output get the HTTP status of their code and `{code, error, message}`.
 * `backend` is the same implementation given to `addService`, or a client of a remote one.
 *
 * @example
 *   http.createServer(createJsonGateway(Echo, impl, { httpRule: http, log, trace })).listen(8080);
 */
export function createJsonGateway<S extends DescService>(
  service: S,
  backend: ServiceImpl<S> | Client<S>,
  options: GatewayOptions = {},
): HttpHandler {
  const impl: object = isClient(backend)
    ? implFromClient(service, backend as Client<S>, options.forwardHeaders ?? ['authorization'])
    : backend;
  const routes = new Map<string, Route>();
  for (const method of service.methods) {
    if (method.methodKind !== 'unary' && method.methodKind !== 'server_streaming') continue;
    routes.set(gatewayPath(method, options), { method, fn: handlerOf(impl, method) });
  }
  const p = pipeline(options);
  return (req, res, next) => {
    const route = routes.get((req.url ?? '/').split('?')[0] ?? '/');
    if (route === undefined) {
      if (next) return next();
      return sendError(res, new EdgeError(Code.NOT_FOUND, 'Not Found'), new Headers());
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendError(res, new EdgeError(Code.UNIMPLEMENTED, 'Method Not Allowed'), new Headers(), 405);
    }
    void serve(p, route, options, req, res);
  };
}

async function serve(
  p: Pipeline,
  route: Route,
  o: GatewayOptions,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const { method, fn } = route;
  const headers = requestHeaders(req);
  const live = startCall(p, {
    method,
    protocol: 'http',
    requestHeader: () => headers,
    traceHeader: headers.get(TRACE_HEADER),
    deadline: undefined,
    peer: `${req.socket.remoteAddress ?? ''}:${req.socket.remotePort ?? ''}`,
    peerCertificate: requestPeerCertificate(req),
  });
  const { ctx } = live;
  res.on('close', () => {
    if (!res.writableFinished) live.cancel();
  });
  const jsonOut = { useProtoFieldName: true, alwaysEmitImplicit: true, registry: o.registry };
  const encode = (m: unknown): JsonValue => toJson(method.output, create(method.output, m as never), jsonOut);
  let streaming = false;
  const err = await runCall(p, ctx, async () => {
    const input = await decode(req, method, o);
    const call = fn as (input: unknown, ctx: HandlerContext) => unknown;
    if (method.methodKind === 'unary') {
      const out = encode(await (call(input, ctx) as Promise<unknown>));
      sendJson(res, 200, merged(ctx, true), out);
      return;
    }
    await writeMessages(res, call(input, ctx) as AsyncIterable<unknown>, ctx.signal, (m) => {
      const line = `${JSON.stringify({ result: encode(m) })}\n`;
      if (!streaming)
        res.writeHead(200, { ...Object.fromEntries(merged(ctx, false)), 'content-type': 'application/json' });
      streaming = true;
      return line;
    });
  });
  live.finish();
  if (res.destroyed || res.writableEnded) return;
  if (err === undefined) {
    if (!streaming)
      res.writeHead(200, { ...Object.fromEntries(merged(ctx, true)), 'content-type': 'application/json' });
    res.end();
  } else if (streaming) {
    const { code, message } = errorBody(err);
    res.end(`${JSON.stringify({ error: { code, message } })}\n`);
  } else {
    sendError(res, err, merged(ctx, true));
  }
}

/** Response headers: the handler's, its trailers for complete responses, and the trace id. */
function merged(ctx: HandlerContext, withTrailers: boolean): Headers {
  const h = new Headers(ctx.responseHeader);
  if (withTrailers) for (const [k, v] of ctx.responseTrailer) h.append(k, v);
  h.set(TRACE_HEADER, ctx.traceId);
  return h;
}

async function decode(req: IncomingMessage, method: DescMethod, o: GatewayOptions): Promise<unknown> {
  let json = await readJsonBody(req, o.maxBodyBytes ?? 4 << 20);
  if (o.transformInput) json = o.transformInput(json, method);
  try {
    return fromJson(method.input, json, o.registry ? { registry: o.registry } : {});
  } catch (err) {
    throw new EdgeError(Code.INVALID_ARGUMENT, (err as Error).message);
  }
}
