// The baselines of bench/notify: plain grpc-js bidi streams of opaque bytes (no protobuf, no
// notify engine), on loopback in the same process.
import * as grpc from '@grpc/grpc-js';

const PATH = '/bench.Raw/Stream';
const identity = (b: Buffer): Buffer => b;

const definition: grpc.ServiceDefinition = {
  Stream: {
    path: PATH,
    requestStream: true,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/**
 * A server of raw streams. A stream whose first message is a uint32 n > 0 gets `payload` n
 * times (honouring backpressure), then ends; n = 0 subscribes it to `broadcast`.
 */
export interface RawServer {
  readonly address: string;
  /** Writes `payload` once on every subscribed stream. */
  broadcast(payload: Buffer): void;
  /** Subscribed streams now. */
  readonly subscribers: number;
  close(): Promise<void>;
}

export async function startRawServer(payload: Buffer): Promise<RawServer> {
  const server = new grpc.Server();
  const subscribed = new Set<grpc.ServerDuplexStream<Buffer, Buffer>>();
  server.addService(definition, {
    Stream: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.once('data', (first: Buffer) => {
        const n = first.readUInt32BE(0);
        if (n === 0) {
          subscribed.add(call);
          call.on('end', () => {
            subscribed.delete(call);
            call.end();
          });
          call.on('error', () => subscribed.delete(call));
          return;
        }
        let left = n;
        const pump = (): void => {
          while (left > 0) {
            left--;
            if (!call.write(payload)) {
              call.once('drain', pump);
              return;
            }
          }
          call.end();
        };
        pump();
      });
      call.on('error', () => {});
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    broadcast: (p) => {
      for (const c of subscribed) c.write(p);
    },
    get subscribers() {
      return subscribed.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of subscribed) c.end();
        const timer = setTimeout(() => server.forceShutdown(), 1000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

function count(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

/** Receives `n` messages on one raw stream; returns the seconds it took and the bytes received. */
export async function rawReceive(address: string, n: number): Promise<{ seconds: number; bytes: number }> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'bench.raw': 1 });
  try {
    const t0 = performance.now();
    let got = 0;
    let bytes = 0;
    await new Promise<void>((resolve, reject) => {
      const call = client.makeBidiStreamRequest(PATH, identity, identity);
      call.on('data', (b: Buffer) => {
        got++;
        bytes += b.length;
      });
      call.on('error', reject);
      call.on('end', () =>
        got === n ? resolve() : reject(new Error(`raw stream: ${got} of ${n} messages`)),
      );
      call.write(count(n));
      call.end();
    });
    return { seconds: (performance.now() - t0) / 1000, bytes };
  } finally {
    client.close();
  }
}

/** `count` raw streams subscribed to broadcasts; `onMessage(i)` per message received by stream i. */
export function rawSubscribers(
  address: string,
  n: number,
  connections: number,
  onMessage: (i: number) => void,
): { close(): void } {
  const clients = Array.from(
    { length: connections },
    (_, c) => new grpc.Client(address, grpc.credentials.createInsecure(), { 'bench.connection': c }),
  );
  const calls = Array.from({ length: n }, (_, i) => {
    const call = (clients[i % connections] as grpc.Client).makeBidiStreamRequest(PATH, identity, identity);
    call.on('data', () => onMessage(i));
    call.on('error', () => {});
    call.write(count(0));
    return call;
  });
  return {
    close: () => {
      for (const c of calls) c.end();
      for (const c of clients) c.close();
    },
  };
}
