import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpError, jsonReply, SimServer } from './sim-server';

/** Fields shared by session requests and replies (the original's QosSessionCommon). */
export interface QosSessionCommon {
  duration: number;
  ueAddr: string;
  asAddr: string;
  uePorts: string;
  asPorts: string;
  protocolIn: string;
  protocolOut: string;
  qos: string;
  notificationUri: string;
  notificationAuthToken: string;
}

/** A created session as the server answers it (Unix seconds). */
export interface QosSessionResponse extends QosSessionCommon {
  id: string;
  startedAt: number;
  expiresAt: number;
}

export interface QosSessionSimOptions {
  /** When set, requests must carry it as the `Authorization` header (401 otherwise). */
  apiKey?: string;
  now?: () => number;
  newId?: () => string;
}

/** Longest (and default) session, seconds. */
export const MAX_SESSION_SECONDS = 86400;
const THROUGHPUT = ['THROUGHPUT_S', 'THROUGHPUT_M', 'THROUGHPUT_L'];

/**
 * Simulated operator QoS priority session server (the original's sessions-srv-sim):
 * `/5g-latency/sessions/` (profile LOW_LATENCY) and `/5g-throughput/sessions/` (THROUGHPUT_S/M/L);
 * POST creates (201 + session, 409 `Found session <id> already active until <RFC 3339>` for the
 * same flow), GET/DELETE `<path><id>` read or delete (200 / 204, 404 for unknown ids).
 */
export class QosSessionSim {
  /** Active sessions by id. */
  readonly sessions = new Map<string, QosSessionResponse>();
  private readonly server = new SimServer((req, body, res) => this.handle(req, body, res));
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly opts: QosSessionSimOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.newId = opts.newId ?? randomUUID;
  }

  /** Listens; the base URL is the DME's `--qosSesAddr`. */
  start(port?: number, host?: string): Promise<string> {
    return this.server.start(port, host);
  }
  close(): Promise<void> {
    return this.server.close();
  }
  get url(): string {
    return this.server.url;
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const kind = path.startsWith('/5g-latency/sessions/')
      ? 'latency'
      : path.startsWith('/5g-throughput/sessions/')
        ? 'throughput'
        : undefined;
    if (!kind) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('QOS Priority Sessions server\n');
      return;
    }
    if (this.opts.apiKey !== undefined && req.headers.authorization !== this.opts.apiKey)
      return httpError(res, 401, '401 - Unauthorized');
    this.removeExpired();
    if (req.method === 'GET' || req.method === 'DELETE') return this.byId(req, path, res);
    if (req.method === 'POST') return this.create(kind, body, res);
    httpError(res, 405, '405 - Method not allowed');
  }

  private byId(req: IncomingMessage, path: string, res: ServerResponse): void {
    const id = path.split('/')[3] ?? '';
    if (id === '') return httpError(res, 400, '400 - Missing sesId');
    const s = this.sessions.get(id);
    if (!s) return httpError(res, 404, `404 - Session '${id}' not found`);
    if (req.method === 'DELETE') {
      this.sessions.delete(id);
      res.writeHead(204);
      res.end();
      return;
    }
    jsonReply(res, 200, s);
  }

  private create(kind: 'latency' | 'throughput', body: string, res: ServerResponse): void {
    if (body.length === 0) return httpError(res, 400, '400 - POST Missing JSON body');
    let req: Partial<QosSessionCommon>;
    try {
      req = JSON.parse(body) as Partial<QosSessionCommon>;
      if (typeof req !== 'object' || req === null) throw new Error('not an object');
    } catch (err) {
      return httpError(res, 400, `400 - json unmarshall error: ${String(err)}`);
    }
    const missing = (['ueAddr', 'asAddr', 'asPorts', 'qos'] as const)
      .filter((f) => !req[f])
      .map((f) => `${f[0]!.toUpperCase()}${f.slice(1)} `)
      .join('');
    if (missing) return httpError(res, 400, `400 - missing field(s) ${missing} in body: ${body}`);
    const qos = req.qos ?? '';
    if (kind === 'latency' ? qos !== 'LOW_LATENCY' : !THROUGHPUT.includes(qos))
      return httpError(res, 400, `400 - Invalid QOS value: ${qos}`);
    const duration = req.duration || MAX_SESSION_SECONDS;
    if (duration > MAX_SESSION_SECONDS)
      return httpError(res, 400, `400 - Invalid Duration value: ${duration}`);
    const startedAt = Math.floor(this.now() / 1000);
    const s: QosSessionResponse = {
      duration,
      ueAddr: req.ueAddr ?? '',
      asAddr: req.asAddr ?? '',
      uePorts: req.uePorts ?? '',
      asPorts: req.asPorts ?? '',
      protocolIn: req.protocolIn ?? '',
      protocolOut: req.protocolOut ?? '',
      qos,
      notificationUri: req.notificationUri ?? '',
      notificationAuthToken: req.notificationAuthToken ?? '',
      id: this.newId(),
      startedAt,
      expiresAt: startedAt + duration,
    };
    const clash = [...this.sessions.values()].find(
      (o) =>
        o.asAddr === s.asAddr &&
        o.asPorts === s.asPorts &&
        o.ueAddr === s.ueAddr &&
        o.uePorts === s.uePorts &&
        o.protocolIn === s.protocolIn &&
        o.protocolOut === s.protocolOut,
    );
    if (clash) {
      const until = new Date(clash.expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      res.writeHead(409, { 'content-type': 'text/plain' });
      res.end(`Found session ${clash.id} already active until ${until}`);
      return;
    }
    this.sessions.set(s.id, s);
    jsonReply(res, 201, s);
  }

  private removeExpired(): void {
    const now = Math.floor(this.now() / 1000);
    for (const [id, s] of this.sessions) if (now > s.expiresAt) this.sessions.delete(id);
  }
}
