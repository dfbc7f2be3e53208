/**
 * The built-in app of the local platform, run as `node responder.cjs` (plain JavaScript so
 * it needs neither tsx nor a build). Config comes from EDGE_RESPONDER as JSON:
 * `{"app": "name", "host": "127.0.0.1", "tcp": [ports], "udp": [ports]}`.
 * On every TCP port it answers HTTP requests with 200 and `{"app":…,"port":…}` and
 * echoes anything else; on every UDP port it echoes datagrams. SIGTERM closes it.
 */
'use strict';
const net = require('node:net');
const dgram = require('node:dgram');
const { Buffer } = require('node:buffer');
const { setInterval } = require('node:timers');

const config = JSON.parse(process.env.EDGE_RESPONDER || '{}');
const app = String(config.app || 'app');
const host = config.host || '127.0.0.1';
const udpType = host.includes(':') ? 'udp6' : 'udp4';
const HTTP_REQUEST = /^[A-Z]{3,10} \S+ HTTP\/1\.[01]\r?\n/;
const MAX_HEADER = 16384;

const servers = [];

function fail(err) {
  process.stderr.write(`responder: ${err.message}\n`);
  process.exit(1);
}

function answerHttp(sock, port) {
  const body = JSON.stringify({ app, port });
  sock.end(
    'HTTP/1.1 200 OK\r\n' +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** HTTP when the first line is an HTTP request line, echo otherwise. */
function serveTcp(port) {
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const echo = () => {
      sock.removeListener('data', onData);
      sock.write(head);
      sock.pipe(sock);
    };
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const text = head.toString('latin1');
      if (!/^[A-Z]*( |$)/.test(text) || head.length > MAX_HEADER) return echo();
      if (!text.includes('\n')) return undefined; // the request line is not complete yet
      if (!HTTP_REQUEST.test(text)) return echo();
      if (/\r?\n\r?\n/.test(text)) {
        sock.removeListener('data', onData);
        answerHttp(sock, port);
      }
      return undefined;
    };
    sock.on('data', onData);
  });
  server.on('error', fail);
  server.listen({ port, host, exclusive: true });
  servers.push(server);
}

function serveUdp(port) {
  const sock = dgram.createSocket(udpType);
  sock.on('error', fail);
  sock.on('message', (msg, rinfo) => sock.send(msg, rinfo.port, rinfo.address));
  sock.bind({ port, address: host, exclusive: true });
  servers.push(sock);
}

for (const port of config.udp || []) serveUdp(port);
for (const port of config.tcp || []) serveTcp(port);
process.stdout.write(
  `responder ${app} on ${host} tcp=${(config.tcp || []).join(',')} udp=${(config.udp || []).join(',')}\n`,
);

process.on('SIGTERM', () => {
  for (const s of servers) s.close();
  process.exit(0);
});
// Without ports there is nothing to wait for, but the instance must stay up like any app.
setInterval(() => undefined, 1 << 30);
