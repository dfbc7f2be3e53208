// Finds the nearest instance of an app for a location and connects to its first TCP port.
//
//   npx tsx sdk/examples/find-nearest.ts --dme=127.0.0.1:38001 --org=devorg --app=game \
//     --version=1.0 --lat=52.52 --lon=13.405 [--transport=rest|grpc] [--carrier=tmus] [--tls]
//
// --dme is the DME's REST gateway (`-httpAddr`, default port 38001) or, with
// --transport=grpc, its gRPC API (`-apiAddr`, default port 50051).
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import {
  MatchingEngine,
  createGrpcTransport,
  createRestTransport,
  dme,
  firstTcpEndpoint,
  type Endpoint,
  type Transport,
} from '@edge/sdk/src/node';

const out = (line: string): boolean => process.stdout.write(`${line}\n`);

function transportFor(dmeAddr: string, kind: string, tls: boolean): Transport {
  if (kind === 'grpc') return createGrpcTransport(dmeAddr.replace(/^https?:\/\//, ''));
  if (kind !== 'rest') throw new Error(`--transport must be rest or grpc, not ${kind}`);
  const baseUrl = /^https?:\/\//.test(dmeAddr) ? dmeAddr : `${tls ? 'https' : 'http'}://${dmeAddr}`;
  return createRestTransport({ baseUrl });
}

/** Connects, waits briefly for a greeting, and reports what happened. */
function probe(endpoint: Endpoint, waitMs: number): Promise<{ connectMs: number; received: Buffer }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: endpoint.host, port: endpoint.port });
    const chunks: Buffer[] = [];
    let connectMs = -1;
    let waiting: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      clearTimeout(waiting);
      socket.destroy();
      resolve({ connectMs, received: Buffer.concat(chunks) });
    };
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`connect to ${endpoint.host}:${endpoint.port} timed out`));
    });
    socket.once('connect', () => {
      connectMs = performance.now() - started;
      socket.setTimeout(0);
      waiting = setTimeout(finish, waitMs);
    });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.once('end', finish);
    socket.once('error', reject);
  });
}

async function main(): Promise<number> {
  const { values: a } = parseArgs({
    options: {
      dme: { type: 'string', default: '127.0.0.1:38001' },
      transport: { type: 'string', default: 'rest' },
      org: { type: 'string' },
      app: { type: 'string' },
      version: { type: 'string' },
      lat: { type: 'string' },
      lon: { type: 'string' },
      carrier: { type: 'string', default: '' },
      tls: { type: 'boolean', default: false },
      wait: { type: 'string', default: '1000' },
    },
  });
  if (!a.org || !a.app || !a.version || a.lat === undefined || a.lon === undefined) {
    process.stderr.write('usage: find-nearest --dme=host:port --org= --app= --version= --lat= --lon=\n');
    return 64;
  }
  const location = { latitude: Number(a.lat), longitude: Number(a.lon) };
  const me = new MatchingEngine({
    transport: transportFor(a.dme, a.transport, a.tls),
    org: a.org,
    app: a.app,
    version: a.version,
    carrier: a.carrier,
  });
  try {
    const found = await me.registerAndFindCloudlet(location);
    out(`registered with ${me.transport.name}`);
    if (found.status !== dme.FindCloudletReply_FindStatus.FIND_FOUND) {
      out(`no instance found: ${dme.FindCloudletReply_FindStatus[found.status]}`);
      return 2;
    }
    const where = found.cloudletLocation;
    out(`nearest instance: ${found.fqdn} at ${where?.latitude ?? '?'},${where?.longitude ?? '?'}`);
    for (const p of found.ports) {
      out(
        `  port ${dme.LProto[p.proto]} ${p.fqdnPrefix}${found.fqdn}:${p.publicPort}${p.tls ? ' (tls)' : ''}`,
      );
    }
    const endpoint = firstTcpEndpoint(found);
    if (!endpoint) {
      out('the instance has no TCP port to connect to');
      return 0;
    }
    const { connectMs, received } = await probe(endpoint, Number(a.wait));
    out(`connected to ${endpoint.host}:${endpoint.port} in ${connectMs.toFixed(1)} ms`);
    out(
      received.length > 0
        ? `received ${received.length} bytes: ${JSON.stringify(received.toString('utf8').slice(0, 200))}`
        : 'received nothing',
    );
    return 0;
  } finally {
    me.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    const e = err as { code?: number; httpStatus?: number; message?: string };
    process.stderr.write(
      `find-nearest failed: ${e.message ?? String(err)}${e.code !== undefined ? ` (code ${e.code})` : ''}\n`,
    );
    process.exitCode = 1;
  },
);
