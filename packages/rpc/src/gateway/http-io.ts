import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import type { JsonValue } from '@bufbuild/protobuf';
import { Code, EdgeError, httpStatus } from '@edge/errors';

/** Reads the request body as JSON; an empty body is `{}`. Express-parsed bodies are used as they are. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<JsonValue> {
  const parsed = (req as { body?: unknown }).body;
  if (parsed !== undefined && !Buffer.isBuffer(parsed) && typeof parsed !== 'string')
    return parsed as JsonValue;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes)
      throw new EdgeError(Code.RESOURCE_EXHAUSTED, `request body larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new EdgeError(Code.INVALID_ARGUMENT, `invalid JSON body: ${(err as Error).message}`);
  }
}

/** Request headers as Headers (lower-case; repeated headers appended; HTTP/2 pseudo-headers dropped). */
export function requestHeaders(req: IncomingMessage): Headers {
  const h = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.startsWith(':') || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) h.append(key, v);
  }
  return h;
}

/** The verified client certificate of a TLS request, if the client sent one. */
export function requestPeerCertificate(req: IncomingMessage): PeerCertificate | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true || socket.authorized !== true || !socket.getPeerCertificate) return undefined;
  const cert = socket.getPeerCertificate();
  return Object.keys(cert).length > 0 ? cert : undefined;
}

/** The grpc-gateway v1 error body: `{code, error, message}`. */
export function errorBody(e: EdgeError): { code: number; error: string; message: string } {
  return { code: e.code, error: e.message, message: e.message };
}

/** Sends a complete JSON response. */
export function sendJson(res: ServerResponse, status: number, headers: Headers, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...Object.fromEntries(headers),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Sends an error before any output: HTTP status from the code, grpc-gateway body. */
export function sendError(
  res: ServerResponse,
  e: EdgeError,
  headers: Headers,
  status = httpStatus(e.code),
): void {
  sendJson(res, status, headers, errorBody(e));
}
