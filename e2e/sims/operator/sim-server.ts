import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** A request handler of a simulator; the body is read in full beforehand. */
export type SimHandler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A plain node `http` server on loopback for a simulator, started and closed by tests. */
export class SimServer {
  private server: Server | undefined;
  private base = '';

  constructor(private readonly handler: SimHandler) {}

  /** Listens (port 0 = any free port); resolves to the base URL, e.g. `http://127.0.0.1:41234`. */
  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const srv = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handler(req, Buffer.concat(chunks).toString(), res);
        } catch (err) {
          if (!res.headersSent) httpError(res, 500, String(err));
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, host, () => resolve());
    });
    const a = srv.address();
    this.server = srv;
    this.base = `http://${host}:${typeof a === 'object' && a ? a.port : port}`;
    return this.base;
  }

  /** Base URL after `start()`. */
  get url(): string {
    if (!this.base) throw new Error('simulator not started');
    return this.base;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

/** A plain-text error reply in the shape of Go's `http.Error` (text plus newline). */
export function httpError(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end(`${text}\n`);
}

/** A JSON reply. */
export function jsonReply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The caller's IPv4 address (loopback IPv6 forced to 127.0.0.1, as the original token server). */
export function remoteIp(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? '';
  if (a === '::1') return '127.0.0.1';
  return a.replace(/^::ffff:/, '');
}
