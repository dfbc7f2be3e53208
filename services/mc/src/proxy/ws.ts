import type http from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { Code, invalidArgument } from '@edge/errors';
import { newTraceId, TRACE_HEADER, type Logger } from '@edge/log';
import type { Caller } from '../auth/caller';
import { HttpError, errorReply } from '../http/errors';
import { Fields } from '../http/fields';
import { proxiedRpcs } from './ctrl-routes';
import { runProxy, type ProxyDeps } from './run-proxy';

/** What the websocket mirror needs besides the proxy. */
export type CtrlWebsocketDeps = ProxyDeps & {
  readonly log: Logger;
  /** Validates the token of the first message (the short-lived `wstoken`). */
  readonly authenticate: (token: string) => Promise<Caller>;
};

const PREFIX = '/ws/api/v1/auth/ctrl/';

/**
 * `GET /ws/api/v1/auth/ctrl/<Rpc>`: the websocket mirror of the proxy, for browsers. The
 * client sends `{"token":…}`, then the request JSON; every reply arrives as
 * `{"code":200,"data":…}`, an error as `{"code":<http>,"data":{"message":…}}`, then
 * the server closes normally.
 */
export function attachCtrlWebsocket(server: http.Server, deps: CtrlWebsocketDeps): void {
  const rpcs = new Map(proxiedRpcs(deps).map((r) => [r.name, r]));
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(PREFIX)) return;
    const rpc = rpcs.get(path.slice(PREFIX.length));
    if (!rpc) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const header = req.headers[TRACE_HEADER];
    const traceId = (typeof header === 'string' && header) || newTraceId();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const log = deps.log.child({ traceId, route: `ws/ctrl/${rpc.name}` });
      void serve(ws, deps, log, (caller, body, signal) =>
        runProxy(deps, { rpc, caller, fields: new Fields(body), traceId, audit: {}, signal }, (data) =>
          send(ws, { code: 200, data }),
        ),
      );
    });
  });
  server.once('close', () => wss.close());
}

type Run = (caller: Caller, body: unknown, signal: AbortSignal) => Promise<void>;

async function serve(ws: WebSocket, deps: CtrlWebsocketDeps, log: Logger, run: Run): Promise<void> {
  const messages = messageQueue(ws);
  const abort = new AbortController();
  ws.once('close', () => abort.abort());
  try {
    const first = parse(await messages());
    const token =
      typeof first === 'object' && first !== null ? (first as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token === '') throw invalidArgument('no bearer token found');
    let caller: Caller;
    try {
      caller = await deps.authenticate(token);
    } catch (err) {
      log.debug({ err }, 'websocket token refused');
      // The original answers a bad websocket token as a plain (400) error.
      throw new HttpError(400, Code.UNAUTHENTICATED, 'invalid or expired jwt');
    }
    await run(caller, parse(await messages()), abort.signal);
  } catch (err) {
    const reply = errorReply(err);
    send(ws, { code: reply.status, data: reply.body });
  }
  if (ws.readyState === ws.OPEN) ws.close(1000);
}

function send(ws: WebSocket, payload: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
}

function parse(data: RawData): unknown {
  try {
    return JSON.parse(
      Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'),
    );
  } catch (err) {
    throw invalidArgument(`Invalid JSON data: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Next-message reader (messages may arrive before anyone waits for them). */
function messageQueue(ws: WebSocket): () => Promise<RawData> {
  const queued: RawData[] = [];
  const waiting: { resolve: (d: RawData) => void; reject: (e: Error) => void }[] = [];
  ws.on('message', (d: RawData) => {
    const w = waiting.shift();
    if (w) w.resolve(d);
    else queued.push(d);
  });
  ws.once('close', () => {
    for (const w of waiting.splice(0)) w.reject(invalidArgument('Invalid data'));
  });
  return () => {
    const d = queued.shift();
    if (d !== undefined) return Promise.resolve(d);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}
