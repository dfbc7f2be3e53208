import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { Code } from '@edge/errors';
import { dme } from './proto';
import { firstTcpEndpoint } from './ports';
import { tcpConnectTime, tcpLatencyTester } from './tcp-latency';

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((socket) => socket.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const found = (p: number) =>
  create(dme.FindCloudletReplySchema, {
    fqdn: '127.0.0.1',
    ports: [
      { proto: dme.LProto.UDP, publicPort: 1 },
      { proto: dme.LProto.TCP, publicPort: p },
    ],
  });

describe('TCP latency', () => {
  it('uses the first TCP port with its FQDN prefix', () => {
    const reply = create(dme.FindCloudletReplySchema, {
      fqdn: 'a.example.net',
      ports: [{ proto: dme.LProto.TCP, publicPort: 443, fqdnPrefix: 'web.', tls: true }],
    });
    expect(firstTcpEndpoint(reply)).toEqual({ host: 'web.a.example.net', port: 443, tls: true });
    expect(firstTcpEndpoint(create(dme.FindCloudletReplySchema, {}))).toBeUndefined();
  });

  it('times TCP connects to the instance', async () => {
    const samples = await tcpLatencyTester({ samples: 3 })(found(port));
    expect(samples).toHaveLength(3);
    for (const ms of samples) expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('leaves failed connects out and reports a refused connect', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await tcpLatencyTester({ samples: 2 })(found(deadPort))).toEqual([]);
    await expect(tcpConnectTime({ host: '127.0.0.1', port: deadPort, tls: false })).rejects.toMatchObject({
      code: Code.UNAVAILABLE,
    });
  });
});
