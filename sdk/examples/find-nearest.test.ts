import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dme } from '../src/proto';
import { startStubDme, STUB_APP, type StubDme } from '../src/testing/stub-dme';

const run = promisify(execFile);
const repo = join(__dirname, '../..');
const tsx = join(repo, 'node_modules/.bin/tsx');

let stub: StubDme;
let banner: Server;
beforeAll(async () => {
  stub = await startStubDme();
  banner = createServer((socket) => socket.end('hello from the edge\n'));
  await new Promise<void>((r) => banner.listen(0, '127.0.0.1', r));
  stub.found = {
    status: dme.FindCloudletReply_FindStatus.FIND_FOUND,
    fqdn: '127.0.0.1',
    ports: [{ proto: dme.LProto.TCP, publicPort: (banner.address() as AddressInfo).port }],
    cloudletLocation: { latitude: 52.5, longitude: 13.4 },
    edgeEventsCookie: 'edge-cookie-A',
  };
});
afterAll(async () => {
  await stub.close();
  await new Promise<void>((r) => banner.close(() => r()));
});

const args = [
  `--org=${STUB_APP.org}`,
  `--app=${STUB_APP.app}`,
  `--version=${STUB_APP.version}`,
  '--lat=52.52',
  '--lon=13.4',
];

describe('examples/find-nearest', () => {
  it.each([
    ['rest', () => stub.restUrl.replace('http://', '')],
    ['grpc', () => stub.grpcAddress],
  ])(
    'finds the instance over %s and talks to its first TCP port',
    async (transport, addr) => {
      const { stdout } = await run(
        tsx,
        [
          join(__dirname, 'find-nearest.ts'),
          `--dme=${addr()}`,
          `--transport=${transport}`,
          '--wait=5000',
          ...args,
        ],
        { cwd: repo, timeout: 60000 },
      );
      expect(stdout).toContain('nearest instance: 127.0.0.1 at 52.5,13.4');
      expect(stdout).toMatch(/connected to 127\.0\.0\.1:\d+ in [\d.]+ ms/);
      expect(stdout).toContain('received 20 bytes: "hello from the edge\\n"');
    },
    90000,
  );

  it('exits 1 with the DME error text for an unknown app', async () => {
    const failed = await run(
      tsx,
      [
        join(__dirname, 'find-nearest.ts'),
        `--dme=${stub.grpcAddress}`,
        '--transport=grpc',
        ...args.map((x) => x.replace('--app=game', '--app=nope')),
      ],
      {
        cwd: repo,
        timeout: 60000,
      },
    ).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('find-nearest failed: app not found (code 5)');
  }, 90000);
});
