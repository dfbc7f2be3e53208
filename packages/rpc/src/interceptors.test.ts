import { Code, permissionDenied, unauthenticated } from '@edge/errors';
import { createLogger, memoryLog, TraceContext } from '@edge/log';
import { testing } from '@edge/proto';

const { Echo } = testing;
import { createClient } from './client';
import { metadataInterceptor, traceInterceptor } from './client-interceptors';
import type { ServerInterceptor } from './interceptor';
import { failure, startEcho, type EchoHarness } from './test-harness';

describe('gRPC adapter: metadata, trace ids, interceptors, auth', () => {
  const mem = memoryLog();
  const serverTrace = new TraceContext();
  const clientTrace = new TraceContext();
  const order: string[] = [];
  const mark =
    (name: string): ServerInterceptor =>
    async (_ctx, next) => {
      order.push(`${name}>`);
      try {
        await next();
      } finally {
        order.push(`<${name}`);
      }
    };
  let h: EchoHarness;
  beforeAll(async () => {
    h = await startEcho(
      {
        log: createLogger({ name: 'echo', trace: serverTrace, destination: mem.stream }),
        trace: serverTrace,
        interceptors: [mark('a'), mark('b')],
        auth: (ctx) => {
          order.push('auth');
          const token = ctx.requestHeader.get('authorization');
          if (token === null) throw unauthenticated('no bearer token');
          if (token !== 'Bearer good') throw permissionDenied('token not allowed');
        },
      },
      {
        interceptors: [
          traceInterceptor(clientTrace),
          metadataInterceptor(() => ({ authorization: 'Bearer good' })),
        ],
      },
    );
  });
  afterAll(() => h.close());
  beforeEach(() => (order.length = 0));

  it('carries metadata both ways: request metadata, response headers and trailers', async () => {
    const got: Record<string, string | null> = {};
    await h.client.say(
      { message: 'm' },
      {
        metadata: { 'x-echo': 'v1', 'x-blob-bin': Buffer.from([1, 2, 255]).toString('base64') },
        onHeader: (hd) => (got.header = hd.get('x-echo-header')),
        onTrailer: (tr) => (got.trailer = tr.get('x-echo-trailer')),
      },
    );
    const ctx = h.seen.ctx.at(-1);
    expect(ctx?.requestHeader.get('x-echo')).toBe('v1');
    expect(Buffer.from(ctx?.requestHeader.get('x-blob-bin') ?? '', 'base64')).toEqual(
      Buffer.from([1, 2, 255]),
    );
    expect(ctx?.requestHeader.get('authorization')).toBe('Bearer good');
    expect(got).toEqual({ header: 'v1', trailer: 'v1' });
  });

  it('propagates the trace id from the caller into the server logs', async () => {
    const res = await clientTrace.run('feedc0de12345678', () => h.client.say({ message: 'traced' }));
    expect(res.traceId).toBe('feedc0de12345678');
    const lines = mem.lines().filter((l) => l.traceId === 'feedc0de12345678');
    expect(lines.find((l) => l.msg === 'say')).toMatchObject({
      got: 'traced',
      rpc: '/edge.testing.Echo/Say',
    });
    expect(lines.find((l) => l.msg === 'rpc')).toMatchObject({ code: 'OK', protocol: 'grpc' });
    expect(typeof lines.find((l) => l.msg === 'rpc')?.durationMs).toBe('number');
  });

  it('makes a new trace id when the caller sends none', async () => {
    const res = await h.client.say({ message: 'untraced' });
    expect(res.traceId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('runs logging, auth, then interceptors in order around the handler', async () => {
    await h.client.say({});
    expect(order).toEqual(['auth', 'a>', 'b>', '<b', '<a']);
  });

  it('refuses calls in the auth hook before the handler runs', async () => {
    const before = h.seen.ctx.length;
    const denied = await failure(h.client.say({}, { metadata: { authorization: 'Bearer bad' } }));
    expect([denied.code, denied.message]).toEqual([Code.PERMISSION_DENIED, 'token not allowed']);
    expect(order).toEqual(['auth']);
    expect(h.seen.ctx.length).toBe(before);
    const rpcLine = mem
      .lines()
      .filter((l) => l.msg === 'rpc')
      .at(-1);
    expect(rpcLine?.code).toBe('PERMISSION_DENIED');
  });

  it('reports UNAUTHENTICATED when there are no credentials', async () => {
    const anon = createClient(Echo, `localhost:${h.port}`);
    try {
      const e = await failure(anon.say({}));
      expect([e.code, e.message]).toEqual([Code.UNAUTHENTICATED, 'no bearer token']);
    } finally {
      anon.close();
    }
  });
});
