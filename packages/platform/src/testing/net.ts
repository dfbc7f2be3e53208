/** Network helpers for tests: free ports and tiny clients. */
import { createSocket } from 'node:dgram';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';

/** A port that was free a moment ago (bind 0, read the port, close). */
export function freePort(proto: 'tcp' | 'udp' = 'tcp', host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    if (proto === 'udp') {
      const sock = createSocket('udp4');
      sock.once('error', reject);
      sock.bind(0, host, () => {
        const { port } = sock.address();
        sock.close(() => resolve(port));
      });
      return;
    }
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** GET http://host:port/path → status and body. */
export function httpGet(
  port: number,
  path = '/',
  host = '127.0.0.1',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('HTTP request timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Connects, sends `text` (if any), half-closes, and returns everything received. */
export function tcpExchange(port: number, text: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    let got = '';
    sock.setTimeout(10_000, () => sock.destroy(new Error('TCP exchange timed out')));
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (got += d));
    sock.on('end', () => resolve(got));
    sock.on('error', reject);
    sock.on('connect', () => sock.end(text));
  });
}

/** Sends one datagram and resolves with the first answer (retrying: UDP may drop). */
export function udpExchange(port: number, text: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const send = (): void => sock.send(text, port, host);
    const retry = setInterval(send, 500);
    const timeout = setTimeout(() => finish(new Error('no UDP answer')), 10_000);
    const finish = (err: Error | undefined, msg?: string): void => {
      clearInterval(retry);
      clearTimeout(timeout);
      sock.close();
      if (err) reject(err);
      else resolve(msg ?? '');
    };
    sock.on('message', (msg) => finish(undefined, msg.toString('utf8')));
    sock.on('error', (err) => finish(err));
    send();
  });
}

/** Polls an async condition until it holds; fails after `ms`. */
export async function eventually(
  cond: () => Promise<boolean> | boolean,
  ms = 20_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
